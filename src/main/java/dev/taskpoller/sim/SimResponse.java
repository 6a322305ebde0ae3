package dev.taskpoller.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a simulator answers. */
public record SimResponse(int status, String contentType, String body, Map<String, String> headers) {

    public static SimResponse json(int status, String body) {
        return new SimResponse(status, "application/json", body, new LinkedHashMap<>());
    }

    public SimResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new SimResponse(status, contentType, body, copy);
    }

    public SimResponse withContentType(String type) {
        return new SimResponse(status, type, body, headers);
    }
}
