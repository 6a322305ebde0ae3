package dev.taskpoller.ingest;

import dev.taskpoller.config.ValueType;
import dev.taskpoller.engine.ProviderSettings;
import dev.taskpoller.text.Excerpt;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A request's own {@code deadline} and {@code pollInterval}, read from their text. The deadline is resolved to an
 * instant at acceptance, so it means the same after a restart; the interval must lie within its provider's bounds.
 *
 * @param deadline     null: the provider's
 * @param pollInterval null: the provider's
 */
record RequestOptions(Instant deadline, Duration pollInterval) {

    /** The last instant of ISO-8601's four-digit years: a deadline past it is a mistake, not a plan. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Thrown with the reason a user is told. */
    static final class InvalidOptionException extends Exception {
        InvalidOptionException(String reason) {
            super(reason);
        }
    }

    /**
     * @param deadline     an ISO-8601 instant with its offset ({@code 2026-11-24T10:00:00Z}) or an ISO-8601 duration
     *                     counted from {@code acceptedAt} ({@code PT30M}); null: none
     * @param pollInterval an ISO-8601 duration ({@code PT30S}) or a configuration duration ({@code 30s}); null: none
     */
    static RequestOptions read(String deadline, String pollInterval, Instant acceptedAt, ProviderSettings settings)
            throws InvalidOptionException {
        return new RequestOptions(deadline == null ? null : deadline(deadline, acceptedAt),
                pollInterval == null ? null : pollInterval(pollInterval, settings));
    }

    private static Instant deadline(String text, Instant acceptedAt) throws InvalidOptionException {
        Instant at;
        try {
            at = isIsoDuration(text) ? acceptedAt.plus(Duration.parse(text))
                    : DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (RuntimeException unreadable) {
            throw new InvalidOptionException("deadline '" + Excerpt.of(text, 80) + "' is neither an ISO-8601 instant with"
                    + " its offset (2026-11-24T10:00:00Z) nor an ISO-8601 duration counted from acceptance (PT30M)");
        }
        if (!at.isAfter(acceptedAt)) {
            throw new InvalidOptionException("deadline " + Excerpt.of(text, 80) + " is not after the acceptance time "
                    + acceptedAt);
        }
        if (at.isAfter(LATEST)) {
            throw new InvalidOptionException("deadline " + Excerpt.of(text, 80) + " is after the year 9999");
        }
        return at;
    }

    private static Duration pollInterval(String text, ProviderSettings settings) throws InvalidOptionException {
        Duration interval;
        try {
            interval = isIsoDuration(text) ? Duration.parse(text) : ValueType.DURATION.parse(text);
            interval.toMillis();
        } catch (RuntimeException unreadable) {
            throw new InvalidOptionException("pollInterval '" + Excerpt.of(text, 80) + "' is neither an ISO-8601 duration"
                    + " (PT30S) nor a duration such as 30s or 1m30s");
        }
        if (interval.compareTo(settings.minPollInterval()) < 0 || interval.compareTo(settings.maxPollInterval()) > 0) {
            throw new InvalidOptionException("pollInterval " + Excerpt.of(text, 80) + " is outside this provider's bounds, "
                    + settings.minPollInterval() + " to " + settings.maxPollInterval());
        }
        return interval;
    }

    /** ISO-8601 durations start with P (or a sign and P); the configuration's own form never does. */
    private static boolean isIsoDuration(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        return upper.startsWith("P") || upper.startsWith("-P") || upper.startsWith("+P");
    }
}
