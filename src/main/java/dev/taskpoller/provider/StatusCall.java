package dev.taskpoller.provider;

import java.util.Map;

/**
 * One HTTP request to a provider's status API. {@code body} is null for GET. Headers carry credentials, so
 * {@link #toString()} leaves their values out.
 */
public record StatusCall(String method, String url, Map<String, String> headers, String body) {

    public StatusCall {
        headers = Map.copyOf(headers);
    }

    public static StatusCall get(String url, Map<String, String> headers) {
        return new StatusCall("GET", url, headers, null);
    }

    public static StatusCall postJson(String url, Map<String, String> headers, String body) {
        return new StatusCall("POST", url, headers, body);
    }

    @Override
    public String toString() {
        return "StatusCall[" + method + " " + url + ", headers=" + headers.keySet() + "]";
    }
}
