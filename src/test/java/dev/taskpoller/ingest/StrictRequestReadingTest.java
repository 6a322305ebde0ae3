package dev.taskpoller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskpoller.engine.InFlightTasks;
import dev.taskpoller.engine.Providers;
import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.Submission;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.support.TestProviders;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A request is accepted only as exactly one JSON object of the documented shape, and its task id as it was sent. */
class StrictRequestReadingTest {

    private static final String SCAN_ID = "task_abc123";
    private static final String ACE_ID = "e2c65b20-0f1b-4e59-a6a3-3d8bd5b7b1c2";
    private static final InputLimits LIMITS = new InputLimits(2048, 64, 256, 256, 512, 4);

    private final Providers providers = TestProviders.configured();
    private final SubmissionReader reader = new SubmissionReader(new SubmissionValidator(providers, LIMITS),
            new InFlightTasks(providers));

    @Test
    void aWellFormedRequestIsAcceptedWithEveryFieldAsSent() {
        TaskRequest request = accepted("{\"provider\":\"scan-documents\",\"taskId\":\"" + SCAN_ID
                + "\",\"correlationId\":\" order 42 \",\"metadata\":{\"a\":[1,{\"b\":2}]}}");
        assertEquals(SCAN_ID, request.taskId());
        assertEquals(" order 42 ", request.correlationId());
        assertEquals("{\"a\":[1,{\"b\":2}]}", request.metadata().toString());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\"} {}                    | malformed_input | not one JSON object",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\"}garbage                | malformed_input | not one JSON object",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\",\"taskId\":\"task_x\"} | malformed_input | Duplicate field",
        "[\"scan-documents\",\"task_abc123\"]                                              | malformed_input | not an array",
        "\"task_abc123\"                                                                   | malformed_input | not a string",
        "{\"provider\":\"scan-documents\",\"taskid\":\"task_abc123\"}                      | malformed_input | unknown field(s) [taskid]",
        "{\"provider\":7,\"taskId\":\"task_abc123\"}                                        | malformed_input | provider must be a string, not a number",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\",\"correlationId\":{}}  | malformed_input | correlationId must be a string, not an object",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\",\"metadata\":[1]}      | malformed_input | metadata must be a JSON object, not an array",
        "{\"provider\":\"scan-documents\",\"taskId\":{\"id\":\"task_abc123\"}}             | invalid_task_id | taskId must be a string, not an object",
        "{\"provider\":\"scan-documents\",\"taskId\":[\"task_abc123\"]}                    | invalid_task_id | taskId must be a string, not an array",
        "{\"provider\":\"scan-documents\",\"taskId\":123}                                  | invalid_task_id | taskId must be a string, not a number",
        "{\"provider\":\"scan-documents\",\"taskId\":\"\"}                                 | missing_task_id | no task id",
        "{\"provider\":\"scan-documents\",\"taskId\":null}                                 | missing_task_id | no task id",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_nul\\u0000\"}                  | invalid_task_id | control character U+0000 at position 8",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\\r\\n\"}                | invalid_task_id | control character U+000D at position 11",
        "{\"provider\":\"scan-documents\",\"taskId\":\" task_abc123\"}                     | invalid_task_id | white space",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123 \"}                     | invalid_task_id | white space",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\\u200b\"}               | invalid_task_id | control character U+200B",
        "{\"provider\":\"scan-documents \",\"taskId\":\"task_abc123\"}                     | unknown_provider | unknown provider 'scan-documents '",
        "{\"taskId\":\"task_abc123\"}                                                      | missing_provider | no provider",
        "''                                                                                | malformed_input | empty request",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\",\"metadata\":{\"k\":\"\\ud800\"}} | malformed_input | not valid Unicode",
        "{\"provider\":\"scan-documents\",\"taskId\":\"task_abc123\",\"metadata\":{\"\\udc00\":1}}    | malformed_input | not valid Unicode",
        "{\"provider\":\"scan-\\ud800documents\",\"taskId\":\"task_abc123\"}             | malformed_input | not valid Unicode",
    })
    void aRequestOfAnotherShapeIsRejectedWithAReasonThatSaysWhatWasWrong(String json, String reason, String message) {
        Rejection rejection = rejected(json.equals("''") ? "" : json);
        assertEquals(reason, rejection.reason(), rejection.toString());
        assertTrue(rejection.message().contains(message), rejection.message());
    }

    @Test
    void eachFieldOverItsCapIsTooLargeAndTheRecordStaysSmall() {
        String hugeProvider = "p".repeat(3000);
        Rejection provider = rejected("{\"provider\":\"" + hugeProvider.substring(0, 65) + "\",\"taskId\":\"" + SCAN_ID + "\"}");
        assertEquals("too_large", provider.reason());
        assertNull(provider.provider(), "an unknown name is not counted as a provider");

        assertEquals("task_id_too_long", rejected(request(SCAN_ID + "a".repeat(250), null, null)).reason());
        assertEquals("too_large", rejected(request(SCAN_ID, "c".repeat(257), null)).reason());
        assertEquals("too_large", rejected(request(SCAN_ID, null, "{\"blob\":\"" + "m".repeat(600) + "\"}")).reason());
        Rejection deep = rejected(request(SCAN_ID, null, "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}"));
        assertEquals("too_large", deep.reason());
        assertTrue(deep.message().contains("nests 5 levels deep, at most 4"), deep.message());
        assertInstanceOf(TaskRequest.class, reader.fromJson(request(SCAN_ID, null, "{\"a\":{\"b\":{\"c\":{}}}}"), "test"),
                "4 levels are allowed");

        Rejection whole = rejected("{\"provider\":\"" + hugeProvider + "\",\"taskId\":\"" + SCAN_ID + "\"}");
        assertEquals("too_large", whole.reason());
        assertTrue(whole.message().contains("at most 2048"), whole.message());
        assertTrue(whole.input().length() <= Rejection.MAX_INPUT, "the input is cut");
        assertTrue(whole.message().length() <= Rejection.MAX_TEXT);
    }

    @Test
    void anUpperCaseUuidIsPolledAsSentButKeyedLikeItsLowerCaseForm() {
        TaskRequest upper = accepted(request("acedata-qrart", ACE_ID.toUpperCase(), null, null));
        TaskRequest lower = accepted(request("acedata-qrart", ACE_ID, null, null));
        assertEquals(ACE_ID.toUpperCase(), upper.taskId(), "never re-cased");
        assertEquals(lower.key(), upper.key(), "one task, so the second is a duplicate");
        assertEquals("acedata-qrart/" + ACE_ID, upper.key());
    }

    @Test
    void aTextLineIsTakenAsItsIdWithoutTrimming() {
        assertInstanceOf(TaskRequest.class, reader.fromIdLine("scan-documents", SCAN_ID, "test"));
        Submission padded = reader.fromIdLine("scan-documents", SCAN_ID + " ", "test");
        assertEquals("invalid_task_id", assertInstanceOf(Rejection.class, padded).reason());
        assertNull(reader.fromIdLine("scan-documents", "  # a comment", "test"));
    }

    @Test
    void aCsvFieldIsTakenAsItIs() {
        List<String> columns = List.of("provider", "taskId", "correlationId");
        assertInstanceOf(TaskRequest.class, reader.fromCsvLine(columns, "scan-documents," + SCAN_ID + ",c-1", "test"));
        assertEquals("invalid_task_id", assertInstanceOf(Rejection.class,
                reader.fromCsvLine(columns, "scan-documents, " + SCAN_ID + ",c-1", "test")).reason());
        assertEquals("malformed_input", assertInstanceOf(Rejection.class,
                reader.fromCsvLine(columns, "scan-documents," + SCAN_ID + ",c-1,extra", "test")).reason());
    }

    private TaskRequest accepted(String json) {
        return assertInstanceOf(TaskRequest.class, reader.fromJson(json, "test"), json);
    }

    private Rejection rejected(String json) {
        return assertInstanceOf(Rejection.class, reader.fromJson(json, "test"), json);
    }

    private static String request(String taskId, String correlationId, String metadata) {
        return request("scan-documents", taskId, correlationId, metadata);
    }

    private static String request(String provider, String taskId, String correlationId, String metadata) {
        return "{\"provider\":\"" + provider + "\",\"taskId\":\"" + taskId + "\""
                + (correlationId == null ? "" : ",\"correlationId\":\"" + correlationId + "\"")
                + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}";
    }

}
