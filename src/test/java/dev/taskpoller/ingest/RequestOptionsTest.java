package dev.taskpoller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.Providers;
import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.support.TestProviders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A request's own deadline and poll interval: read in every documented form, or rejected with the reason. */
class RequestOptionsTest {

    private static final InputLimits LIMITS = new InputLimits(2048, 64, 256, 256, 512, 4);

    // Closient's bounds set apart from the packaged 1s..1h the others take
    private final Providers providers = TestProviders.configured(
            "taskpoller.provider.closient-bulk-qr.min-poll-interval", "10s",
            "taskpoller.provider.closient-bulk-qr.max-poll-interval", "10m");
    private final SubmissionReader reader = new SubmissionReader(new SubmissionValidator(providers, LIMITS),
            new InFlightTasks(providers));

    @Test
    void aRequestWithoutOptionsTakesItsProvidersAndWritesNoOptionFields() {
        TaskRequest request = accepted("{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\"}");
        assertNull(request.deadline());
        assertNull(request.pollInterval());
        String json = dev.taskpoller.provider.Json.write(request);
        assertTrue(!json.contains("deadline") && !json.contains("pollInterval"), json);
    }

    @Test
    void aDeadlineAsAnInstantIsKeptAsThatInstantWhateverItsOffset() {
        Instant in = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String withOffset = in.atOffset(java.time.ZoneOffset.ofHours(2)).toString();
        assertEquals(in, accepted(scan("\"deadline\":\"" + in + "\"")).deadline());
        assertEquals(in, accepted(scan("\"deadline\":\"" + withOffset + "\"")).deadline());
    }

    @Test
    void aDeadlineAsADurationIsCountedFromAcceptanceAndKeptAsAnInstant() {
        TaskRequest request = accepted(scan("\"deadline\":\"PT30M\""));
        assertEquals(request.acceptedAt().plus(Duration.ofMinutes(30)), request.deadline());
        TaskRequest days = accepted(scan("\"deadline\":\"P2DT1H\""));
        assertEquals(days.acceptedAt().plus(Duration.ofHours(49)), days.deadline());
    }

    @Test
    void aPollIntervalIsReadInIsoFormOrInTheConfigurationsForm() {
        assertEquals(Duration.ofSeconds(30), accepted(scan("\"pollInterval\":\"PT30S\"")).pollInterval());
        assertEquals(Duration.ofSeconds(90), accepted(scan("\"pollInterval\":\"1m30s\"")).pollInterval());
        assertEquals(Duration.ofSeconds(1), accepted(scan("\"pollInterval\":\"1s\"")).pollInterval(), "the lower bound itself");
        assertEquals(Duration.ofHours(1), accepted(scan("\"pollInterval\":\"PT1H\"")).pollInterval(), "the upper bound itself");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\"deadline\":\"tomorrow\"                   | neither an ISO-8601 instant with its offset",
        "\"deadline\":\"2026-11-24T10:00:00\"        | neither an ISO-8601 instant with its offset",
        "\"deadline\":\"\"                           | neither an ISO-8601 instant",
        "\"deadline\":\"2020-01-01T00:00:00Z\"       | is not after the acceptance time",
        "\"deadline\":\"PT0S\"                       | is not after the acceptance time",
        "\"deadline\":\"-PT5M\"                      | is not after the acceptance time",
        "\"deadline\":\"P1M\"                        | neither an ISO-8601 instant",
        "\"deadline\":\"PT99999999999999999H\"       | neither an ISO-8601 instant",
        "\"deadline\":\"P999999999D\"                | after the year 9999",
        "\"deadline\":\"+99999-01-01T00:00:00Z\"     | after the year 9999",
        "\"deadline\":3600                          | deadline must be a string (ISO-8601), not a number",
        "\"pollInterval\":{\"s\":5}                 | pollInterval must be a string (ISO-8601), not an object",
        "\"pollInterval\":\"5\"                      | neither an ISO-8601 duration (PT30S) nor a duration such as 30s",
        "\"pollInterval\":\"five seconds\"           | neither an ISO-8601 duration",
        "\"pollInterval\":\"PT0.5S\"                 | outside this provider's bounds, PT1S to PT1H",
        "\"pollInterval\":\"0s\"                     | outside this provider's bounds",
        "\"pollInterval\":\"-PT5S\"                  | outside this provider's bounds",
        "\"pollInterval\":\"2h\"                     | outside this provider's bounds, PT1S to PT1H",
        "\"pollInterval\":\"PT9999999999999999H\"    | neither an ISO-8601 duration",
    })
    void anOptionThatCannotBeUsedIsRejectedAsInvalidOptionWithTheReason(String option, String message) {
        Rejection rejection = rejected(scan(option));
        assertEquals(Rejection.INVALID_OPTION, rejection.reason(), rejection.toString());
        assertTrue(rejection.message().contains(message), rejection.message());
    }

    @Test
    void thePollIntervalsBoundsAreEachProvidersOwn() {
        String closient = "{\"provider\":\"closient-bulk-qr\",\"taskId\":\"0f8fad5b-d9cb-469f-a165-70867728950e\","
                + "\"pollInterval\":\"%s\"}";
        Rejection tooFast = rejected(closient.formatted("5s"));
        assertTrue(tooFast.message().contains("PT10S to PT10M"), tooFast.message());
        assertEquals("closient-bulk-qr", tooFast.provider());
        assertEquals(Duration.ofSeconds(5), accepted(scan("\"pollInterval\":\"5s\"")).pollInterval(), "Scan Documents' bounds");
        assertEquals(Duration.ofMinutes(10), accepted(closient.formatted("PT10M")).pollInterval());
    }

    @Test
    void csvLinesMayCarryBothOptionsInTheirOwnColumnsAndAnEmptyCellIsNone() {
        List<String> columns = List.of("provider", "taskId", "deadline", "pollInterval");
        TaskRequest both = assertInstanceOf(TaskRequest.class,
                reader.fromCsvLine(columns, "scan-documents,task_abc123,PT1H,PT5S", "test"));
        assertEquals(both.acceptedAt().plus(Duration.ofHours(1)), both.deadline());
        assertEquals(Duration.ofSeconds(5), both.pollInterval());
        TaskRequest none = assertInstanceOf(TaskRequest.class, reader.fromCsvLine(columns, "scan-documents,task_abc123,,", "test"));
        assertNull(none.deadline());
        assertNull(none.pollInterval());
        assertEquals(Rejection.INVALID_OPTION, assertInstanceOf(Rejection.class,
                reader.fromCsvLine(columns, "scan-documents,task_abc123,,1ms", "test")).reason());
    }

    private static String scan(String option) {
        return "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\"," + option + "}";
    }

    private TaskRequest accepted(String json) {
        return assertInstanceOf(TaskRequest.class, reader.fromJson(json, "test"), json);
    }

    private Rejection rejected(String json) {
        return assertInstanceOf(Rejection.class, reader.fromJson(json, "test"), json);
    }
}
