package dev.taskpoller.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One produced file in the canonical {@code result.files} list; any field the provider does not give is null. */
public record ResultFile(String url, String name, String contentType, Long size, Integer width, Integer height, String expiresAt) {

    /** A result object holding {@code files}, to which an adapter adds its provider extras. */
    public static ObjectNode resultWith(List<ResultFile> files) {
        ObjectNode result = Json.object();
        ArrayNode array = result.putArray("files");
        files.forEach(file -> array.add(Json.MAPPER.valueToTree(file)));
        return result;
    }
}
