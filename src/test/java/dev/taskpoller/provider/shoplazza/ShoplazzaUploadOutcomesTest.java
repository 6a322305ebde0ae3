package dev.taskpoller.provider.shoplazza;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.PollOutcome.Status;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.StatusCalls;
import dev.taskpoller.provider.TaskError;
import dev.taskpoller.sim.Fault;
import dev.taskpoller.sim.SimulatedTask;
import dev.taskpoller.sim.shoplazza.ShoplazzaSimulator;
import dev.taskpoller.support.TestProviders;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a polled upload task ends, against the simulator over loopback HTTP. */
class ShoplazzaUploadOutcomesTest {

    private static final String ID = "300b5e33-3ac5-41c5-9819-7e2e8aad6a98";
    private static final String CDN = "https://cdn.shoplazza.example/";
    private static final String ORIGIN = "https://merchant.example/images/" + ID + "/";
    // MD5 of "<id>/<index>", computed outside Java
    private static final String FILE_0 = "c2bb1043595b5afe4e536beeffe06d5a.jpeg";
    private static final String FILE_1 = "34893c3243810ee2e4d287eab3c4e815.jpeg";

    private final ShoplazzaSimulator sim = new ShoplazzaSimulator();
    private ProviderEndpoint endpoint;

    @BeforeEach
    void start() {
        sim.start();
        endpoint = new ProviderEndpoint(sim.baseUrl(), sim.apiKey());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private PollOutcome poll(ProviderAdapter adapter) throws Exception {
        return StatusCalls.poll(adapter, endpoint, List.of(ID)).get(ID);
    }

    private PollOutcome poll() throws Exception {
        return poll(TestProviders.adapter("shoplazza-upload"));
    }

    @Test
    void staysRunningWhileInProgressEvenWithSomeFilesThroughThenCompletesWithEveryFile() throws Exception {
        sim.addUploadTask(SimulatedTask.completing(ID, 3), 2, 0);

        PollOutcome queued = poll();
        PollOutcome halfway = poll();
        PollOutcome done = poll();

        assertEquals(Status.RUNNING, queued.status());
        assertEquals(Status.RUNNING, halfway.status());
        assertEquals(1, Json.parse(halfway.providerResponse()).orElseThrow().get("finished").asInt());
        assertEquals(Status.COMPLETED, done.status());
        assertNull(done.error());
        assertEquals(Json.parse("""
                {"files": [
                   {"url": "%1$s%3$s", "name": "%3$s", "contentType": null, "size": null, "width": null, "height": null, "expiresAt": null},
                   {"url": "%1$s%4$s", "name": "%4$s", "contentType": null, "size": null, "width": null, "height": null, "expiresAt": null}],
                 "successList": [
                   {"file_uri": "%3$s", "origin_link": "%2$s1.jpg", "upload_link": "%1$s%3$s"},
                   {"file_uri": "%4$s", "origin_link": "%2$s2.jpg", "upload_link": "%1$s%4$s"}],
                 "failureList": [],
                 "originList": ["%2$s1.jpg", "%2$s2.jpg"],
                 "total": 2, "finished": 2, "partialFailure": false}
                """.formatted(CDN, ORIGIN, FILE_0, FILE_1)).orElseThrow(), done.result());
    }

    @Test
    void failsWhenEveryFileFailedAndStillCarriesBothLists() throws Exception {
        sim.addTask(SimulatedTask.failing(ID, 2, "origin host refused the download"));

        assertEquals(Status.RUNNING, poll().status());
        PollOutcome failed = poll();

        assertEquals(Status.FAILED, failed.status());
        assertEquals(new TaskError(TaskError.PROVIDER_FAILED, "all 2 files failed to upload", null), failed.error());
        assertEquals(Json.parse("""
                {"files": [], "successList": [],
                 "failureList": [
                   {"origin_link": "%1$s1.jpg", "reason": "origin host refused the download"},
                   {"origin_link": "%1$s2.jpg", "reason": "origin host refused the download"}],
                 "originList": ["%1$s1.jpg", "%1$s2.jpg"],
                 "total": 2, "finished": 0, "partialFailure": false}
                """.formatted(ORIGIN)).orElseThrow(), failed.result());
    }

    @Test
    void completesWithAPartialFailureFlagWhenSomeFilesFailed() throws Exception {
        sim.addUploadTask(SimulatedTask.completing(ID, 2), 2, 1);

        poll();
        PollOutcome done = poll();

        assertEquals(Status.COMPLETED, done.status());
        assertEquals(Json.parse("""
                {"files": [
                   {"url": "%1$s%3$s", "name": "%3$s", "contentType": null, "size": null, "width": null, "height": null, "expiresAt": null},
                   {"url": "%1$s%4$s", "name": "%4$s", "contentType": null, "size": null, "width": null, "height": null, "expiresAt": null}],
                 "successList": [
                   {"file_uri": "%3$s", "origin_link": "%2$s1.jpg", "upload_link": "%1$s%3$s"},
                   {"file_uri": "%4$s", "origin_link": "%2$s2.jpg", "upload_link": "%1$s%4$s"}],
                 "failureList": [{"origin_link": "%2$s3.jpg", "reason": "simulated failure"}],
                 "originList": ["%2$s1.jpg", "%2$s2.jpg", "%2$s3.jpg"],
                 "total": 3, "finished": 2, "partialFailure": true}
                """.formatted(CDN, ORIGIN, FILE_0, FILE_1)).orElseThrow(), done.result());
    }

    @Test
    void completesWithNoFilesWhenTheUploadHadNone() throws Exception {
        sim.addUploadTask(SimulatedTask.completing(ID, 2), 0, 0);

        poll();
        PollOutcome done = poll();

        assertEquals(Status.COMPLETED, done.status());
        assertEquals(Json.parse("""
                {"files": [], "successList": [], "failureList": [], "originList": [],
                 "total": 0, "finished": 0, "partialFailure": false}
                """).orElseThrow(), done.result());
    }

    @Test
    void readsTheWrappedShapeOfVersion2025_06() throws Exception {
        sim.addUploadTask(SimulatedTask.completing(ID, 2), 1, 0);
        ProviderAdapter adapter = TestProviders.definedWith("shoplazza-upload", "default: '2022-01'", "default: '2025-06'");

        PollOutcome queued = poll(adapter);
        PollOutcome done = poll(adapter);

        assertEquals(Status.RUNNING, queued.status());
        assertEquals("Success", Json.parse(done.providerResponse()).orElseThrow().get("code").asText());
        assertEquals(Status.COMPLETED, done.status());
        assertEquals(Json.parse("""
                {"files": [
                   {"url": "%1$s%3$s", "name": "%3$s", "contentType": null, "size": null, "width": null, "height": null, "expiresAt": null}],
                 "successList": [{"file_uri": "%3$s", "origin_link": "%2$s1.jpg", "upload_link": "%1$s%3$s"}],
                 "failureList": [],
                 "originList": ["%2$s1.jpg"],
                 "total": 1, "finished": 1, "partialFailure": false}
                """.formatted(CDN, ORIGIN, FILE_0)).orElseThrow(), done.result());
    }

    @Test
    void readsTheErrorShapeOfVersion2025_06() throws Exception {
        ProviderAdapter adapter = TestProviders.definedWith("shoplazza-upload", "default: '2022-01'", "default: '2025-06'");

        PollOutcome unknown = poll(adapter);
        PollOutcome malformed = StatusCalls.poll(adapter, endpoint, List.of("not-a-uuid")).get("not-a-uuid");

        assertEquals(Status.FAILED, unknown.status());
        assertEquals(new TaskError(TaskError.NOT_FOUND, "NotFound: page not found", 404), unknown.error());
        assertEquals(Status.FAILED, malformed.status());
        assertEquals(new TaskError(TaskError.BAD_REQUEST, "InvalidParameter", 400), malformed.error());
    }

    @Test
    void aFinishedTaskThatLeavesItsEmptyListsOutIsReadAsIfTheyWereEmpty() throws Exception {
        sim.injectFault(new Fault(200, """
                {"task_id": "%s", "total": 1, "finished": 0, "status": 0,
                 "failure_list": [{"origin_link": "https://merchant.example/a.jpg", "reason": "gone"}]}
                """.formatted(ID), null));
        sim.injectFault(new Fault(200, "{\"task_id\": \"" + ID + "\", \"total\": 0, \"finished\": 0, \"status\": 0}", null));

        PollOutcome failed = poll();
        PollOutcome empty = poll();

        assertEquals(new TaskError(TaskError.PROVIDER_FAILED, "all 1 files failed to upload", null), failed.error());
        assertEquals(Json.parse("[]").orElseThrow(), failed.result().get("successList"));
        assertEquals(Status.COMPLETED, empty.status());
        assertEquals(Json.parse("""
                {"files": [], "successList": [], "failureList": [], "originList": [],
                 "total": 0, "finished": 0, "partialFailure": false}
                """).orElseThrow(), empty.result());
    }

    @Test
    void keepsTheDocumentedExampleFileWithoutUploadLinkButGivesItNoUrl() throws Exception {
        sim.injectFault(new Fault(200, """
                {"task_id": "%s", "total": 1, "finished": 1, "status": 0,
                 "success_list": [{"file_uri": "652c51e6ea5273f8e0b5c3a30b62fd57.jpeg", "origin_link": "", "upload_link": ""}],
                 "failure_list": [], "origin_list": [""]}
                """.formatted(ID), null));

        PollOutcome done = poll();

        assertEquals(Status.COMPLETED, done.status());
        assertEquals(Json.parse("""
                {"url": null, "name": "652c51e6ea5273f8e0b5c3a30b62fd57.jpeg", "contentType": null, "size": null,
                 "width": null, "height": null, "expiresAt": null}
                """).orElseThrow(), done.result().get("files").get(0));
    }
}
