package dev.taskpoller.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * The one way the text of a setting becomes a value, and what a user is told whose text does not fit.
 *
 * @param name     short name of the type, for the README's table
 * @param expected what fits, completing "expected ..."
 * @param parser   the text (stripped) to the value; throws IllegalArgumentException when it does not fit
 */
public record ValueType<T>(String name, String expected, Function<String, T> parser) {

    // Strict on purpose: Camel's TimeUtils reads "five" as 0 and a bare number as milliseconds.
    private static final Pattern DURATION_TEXT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final String DURATION_EXAMPLES = "such as 250ms, 5s, 2m, 6h or 1h30m";

    public static final ValueType<Duration> DURATION = new ValueType<>("duration",
            "a duration " + DURATION_EXAMPLES, ValueType::duration);
    public static final ValueType<Duration> POSITIVE_DURATION = new ValueType<>("duration > 0",
            "a duration above zero " + DURATION_EXAMPLES, text -> positive(duration(text)));
    public static final ValueType<Integer> POSITIVE_INT = new ValueType<>("integer ≥ 1",
            "a whole number, 1 or more", text -> integer(text, 1, Integer.MAX_VALUE));
    public static final ValueType<Integer> MILLISECONDS = new ValueType<>("milliseconds ≥ 1",
            "a whole number of milliseconds, 1 or more, such as 500 (no unit: the key ends in -ms)",
            text -> integer(text, 1, Integer.MAX_VALUE));
    /** Room for any event once its optional parts are left out (ids, error message and envelope: under 16 KiB). */
    public static final ValueType<Integer> RECORD_BYTES = new ValueType<>("bytes ≥ 16384",
            "a whole number of bytes, 16384 or more, such as 1000000", text -> integer(text, 16_384, Integer.MAX_VALUE));
    public static final ValueType<Integer> PORT = new ValueType<>("port 0-65535",
            "a port number from 0 to 65535 (0: any free port)", text -> integer(text, 0, 65535));
    public static final ValueType<Short> REPLICATION_FACTOR = new ValueType<>("-1 or 1-32767",
            "-1 (the broker's default) or a whole number from 1 to 32767", text -> {
                int factor = integer(text, -1, Short.MAX_VALUE);
                if (factor == 0) {
                    throw new IllegalArgumentException("zero replicas");
                }
                return (short) factor;
            });
    public static final ValueType<Double> MULTIPLIER = new ValueType<>("number ≥ 1",
            "a number, 1 or more, such as 1.5", text -> {
                double value = Double.parseDouble(requireNumber(text));
                if (!(value >= 1) || Double.isInfinite(value)) {
                    throw new IllegalArgumentException("below 1");
                }
                return value;
            });
    public static final ValueType<Boolean> BOOLEAN = new ValueType<>("true/false", "true or false", text -> {
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("not a boolean");
        }
        return Boolean.parseBoolean(text);
    });
    public static final ValueType<String> HTTP_URL = new ValueType<>("http(s) URL",
            "an absolute http or https URL with a host, such as https://api.example.com", ValueType::httpUrl);
    public static final ValueType<String> TOPIC = new ValueType<>("topic name",
            "a Kafka topic name: 1 to 249 of the characters a-z A-Z 0-9 . _ -", text -> {
                try {
                    Topic.validate(text);
                } catch (InvalidTopicException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
                return text;
            });
    /** Anything, even nothing (a credential: never echoed, nothing to check). */
    public static final ValueType<String> TEXT = new ValueType<>("text", "any text", text -> text);
    public static final ValueType<String> NAME = new ValueType<>("text, not empty", "a name, not empty", text -> {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return text;
    });
    public static final ValueType<Path> PATH = new ValueType<>("path", "a file system path, not empty", text -> {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    });
    public static final ValueType<Integer> COUNT = new ValueType<>("integer ≥ 0",
            "a whole number, 0 or more", text -> integer(text, 0, Integer.MAX_VALUE));
    /** Several limits that must all allow a call, e.g. a per-minute and a per-day quota. */
    public static final ValueType<List<Rate>> RATES = new ValueType<>("calls/duration list",
            "one or more limits calls/duration separated by commas, such as 2/1s or 300/1m, 10000/1d"
                    + " (a whole number of calls, 1 or more, per a duration above zero)", ValueType::rates);
    public static final ValueType<List<String>> BROKERS = new ValueType<>("host:port list or empty",
            "empty (start the embedded broker) or host:port[,host:port...]", ValueType::brokers);

    /** The value of {@code text}; IllegalArgumentException when it does not fit. */
    public T parse(String text) {
        return parser.apply(text.strip());
    }

    private static Duration duration(String text) {
        Matcher m = DURATION_TEXT.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("not a duration");
        }
        try {
            Duration total = Duration.ZERO;
            Duration[] units = {Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofSeconds(1),
                    Duration.ofMillis(1)};
            for (int group = 1; group <= units.length; group++) {
                if (m.group(group) != null) {
                    total = total.plus(units[group - 1].multipliedBy(Long.parseLong(m.group(group))));
                }
            }
            // kept in milliseconds by every user of a duration
            total.toMillis();
            return total;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("too long", e);
        }
    }

    private static Duration positive(Duration duration) {
        if (duration.isZero()) {
            throw new IllegalArgumentException("zero");
        }
        return duration;
    }

    private static int integer(String text, int min, int max) {
        long value = Long.parseLong(requireNumber(text));
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return (int) value;
    }

    /** Only digits (with a sign or a decimal point): no hex, no exponent, no "NaN". */
    private static String requireNumber(String text) {
        if (!text.matches("-?\\d{1,18}(\\.\\d+)?")) {
            throw new IllegalArgumentException("not a number");
        }
        return text;
    }

    private static String httpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return text;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<Rate> rates(String text) {
        List<Rate> rates = Arrays.stream(text.split(",", -1)).map(String::strip).map(rate -> {
            int slash = rate.indexOf('/');
            if (slash <= 0) {
                throw new IllegalArgumentException("no calls/duration");
            }
            return new Rate(integer(rate.substring(0, slash), 1, Integer.MAX_VALUE),
                    positive(duration(rate.substring(slash + 1))));
        }).toList();
        return rates;
    }

    private static List<String> brokers(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> brokers = Arrays.stream(text.split(",", -1)).map(String::strip).toList();
        for (String broker : brokers) {
            int colon = broker.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("no port");
            }
            integer(broker.substring(colon + 1), 1, 65535);
        }
        return brokers;
    }
}
