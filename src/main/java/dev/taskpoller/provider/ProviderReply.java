package dev.taskpoller.provider;

import java.util.Map;
import java.util.TreeMap;

/** A provider's HTTP answer: status code, headers (looked up without regard to case) and body text. */
public record ProviderReply(int status, Map<String, String> headers, String body) {

    public ProviderReply {
        Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        headers = caseless;
        body = body == null ? "" : body;
    }

    public ProviderReply(int status, String body) {
        this(status, Map.of(), body);
    }

    public String header(String name) {
        return headers.get(name);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
