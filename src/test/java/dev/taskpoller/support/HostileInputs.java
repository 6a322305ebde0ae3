package dev.taskpoller.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Requests as an adversary or a careless sender writes them: seeded, so a failing run can be replayed. Each is one
 * input: for an inbox line it never holds a line break, is never blank and is no comment.
 */
public final class HostileInputs {

    private static final String[] PROVIDERS = {"scan-documents", "acedata-qrart", "shoplazza-upload", "closient-bulk-qr"};
    private static final String[] ODD_CHARS = {"\u0000", "\t", "\u001b", "\u007f", "\u0085", "\u200b", "\u2028", "\ufeff",
            "\ud83d\ude00", "\ud800", "é", "ı", "\"", "\\", "/", "%2F", "../", "{", "}", "[", ",", ":", "'", "`", "$", "<"};

    private final Random random;
    private final List<String> earlier = new ArrayList<>();

    public HostileInputs(long seed) {
        this.random = new Random(seed);
    }

    /** The next hostile request; {@code line}: as a line of a {@code .jsonl} file. */
    public String next(boolean line) {
        String input = switch (random.nextInt(14)) {
            case 0, 1 -> valid();
            case 2 -> earlier.isEmpty() ? valid() : earlier.get(random.nextInt(earlier.size()));
            case 3 -> garbage(1 + random.nextInt(200));
            case 4 -> { String json = valid(); yield json.substring(0, 1 + random.nextInt(json.length() - 1)); }
            case 5 -> valid() + pick(" {}", "garbage", "\u0000", "]", " 1", "{\"x\":1}", ",");
            case 6 -> pick("123", "-0.5e9", "\"task_abc\"", "[]", "[{\"provider\":\"scan-documents\"}]", "null", "true", "{}", "\"\"");
            case 7 -> wrongType();
            case 8 -> pick("{\"provider\":\"scan-documents\",\"taskId\":\"" + scanId() + "\",\"taskid\":\"x\"}",
                    "{\"provider\":\"scan-documents\",\"taskId\":\"" + scanId() + "\",\"taskId\":\"" + scanId() + "\"}",
                    "{\"provider\":\"scan-documents\",\"provider\":\"acedata-qrart\",\"taskId\":\"" + scanId() + "\"}",
                    "{\"Provider\":\"scan-documents\",\"TaskId\":\"" + scanId() + "\"}");
            case 9 -> request(pick(PROVIDERS), oddId(), null, null);
            case 10 -> overCap();
            case 11 -> request(pick("Scan-Documents", "scan-documents\u0000", "", " ", "scan documents", "fax", garbage(20)),
                    scanId(), null, null);
            case 12 -> request("scan-documents", scanId(), garbage(random.nextInt(60)), "{\"k\":" + quote(garbage(30)) + "}");
            default -> "[".repeat(5_000) + "]".repeat(5_000);
        };
        return line ? asLine(input) : input;
    }

    private String valid() {
        String provider = pick("scan-documents", "acedata-qrart", "shoplazza-upload");
        String id = provider.equals("scan-documents") ? scanId() : random.nextBoolean() ? uuid() : uuid().toUpperCase();
        String json = request(provider, id, random.nextBoolean() ? "c-" + random.nextInt(1000) : null,
                random.nextBoolean() ? "{\"n\":" + random.nextInt() + ",\"tags\":[\"a\",{\"b\":null}]}" : null);
        earlier.add(json);
        return json;
    }

    private String wrongType() {
        String value = pick("1", "1.5", "true", "{}", "{\"id\":\"task_abc\"}", "[\"task_abc\"]", "[]");
        return switch (random.nextInt(4)) {
            case 0 -> "{\"provider\":\"scan-documents\",\"taskId\":" + value + "}";
            case 1 -> "{\"provider\":" + value + ",\"taskId\":\"" + scanId() + "\"}";
            case 2 -> "{\"provider\":\"scan-documents\",\"taskId\":\"" + scanId() + "\",\"correlationId\":" + value + "}";
            default -> "{\"provider\":\"scan-documents\",\"taskId\":\"" + scanId() + "\",\"metadata\":" + pick("1", "\"m\"", "[1]", "true") + "}";
        };
    }

    private String oddId() {
        String base = random.nextBoolean() ? scanId() : uuid();
        int at = random.nextInt(base.length() + 1);
        String odd = pick(ODD_CHARS);
        return switch (random.nextInt(4)) {
            case 0 -> base.substring(0, at) + odd + base.substring(at);
            case 1 -> pick(" ", "\t", "\r\n", "\u00a0", "\u3000") + base;
            case 2 -> base + pick(" ", "\t", "\r\n", "\n", "\u00a0");
            default -> pick("task_ABC", "task_", "TASK_abc", "task_" + "a".repeat(65), "../../etc/passwd", "%74ask_abc",
                    "00000000-0000-0000-0000-000000000000g", "{{taskpoller.provider.scan-documents.api-key}}", "${body}");
        };
    }

    private String overCap() {
        return switch (random.nextInt(6)) {
            case 0 -> request("scan-documents", scanId(), "c".repeat(70_000), null);
            case 1 -> request("scan-documents", "task_" + "a".repeat(300), null, null);
            case 2 -> request("p".repeat(65), scanId(), null, null);
            case 3 -> request("scan-documents", scanId(), "c".repeat(257), null);
            case 4 -> request("scan-documents", scanId(), null, "{\"blob\":\"" + "m".repeat(17_000) + "\"}");
            default -> request("scan-documents", scanId(), null, "{\"a\":".repeat(10) + "1" + "}".repeat(10));
        };
    }

    private String garbage(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(random.nextInt(4) == 0 ? pick(ODD_CHARS) : String.valueOf((char) (32 + random.nextInt(95))));
        }
        return text.toString();
    }

    private static String asLine(String input) {
        String line = input.replace("\r", "\\r").replace("\n", "\\n").replace("\u2028", "\\u2028").replace("\u0085", "\\u0085");
        if (line.startsWith("\ufeff")) {
            line = "x" + line;
        }
        return line.isBlank() || line.stripLeading().startsWith("#") ? "x" + line : line;
    }

    private String scanId() {
        return "task_" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static String request(String provider, String taskId, String correlationId, String metadata) {
        return "{\"provider\":" + quote(provider) + ",\"taskId\":" + quote(taskId)
                + (correlationId == null ? "" : ",\"correlationId\":" + quote(correlationId))
                + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}";
    }

    /** A JSON string of this text, every character outside printable ASCII escaped. */
    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
