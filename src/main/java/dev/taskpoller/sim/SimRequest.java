package dev.taskpoller.sim;

import java.util.Map;

/** A request as a simulator sees it: method, path (no query), headers (lower-case names) and body. */
public record SimRequest(String method, String path, Map<String, String> headers, String body) {

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
