package dev.taskpoller.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
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

    /**
     * The file name a URL's path ends with (its query, often a signature, is no part of it), or null when the path is
     * missing, empty or ends with '/'. When {@code url} is not a URI at all, {@code pathWhenNotAUri} is read as the
     * path instead: the URL text itself to still take its last segment, or null to give up.
     */
    public static String lastPathSegment(String url, String pathWhenNotAUri) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException notAUri) {
            path = pathWhenNotAUri;
        }
        if (path == null || path.isEmpty()) {
            return null;
        }
        String segment = path.substring(path.lastIndexOf('/') + 1);
        return segment.isEmpty() ? null : segment;
    }
}
