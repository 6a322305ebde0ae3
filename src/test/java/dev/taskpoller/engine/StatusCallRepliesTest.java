package dev.taskpoller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.taskpoller.provider.ProviderReply;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The join of a batch and what its status call brought back, as the enrich step hands them over. */
class StatusCallRepliesTest {

    private final CamelContext context = new DefaultCamelContext();
    private final StatusCallReplies replies = new StatusCallReplies();
    private final PollBatch batch = new PollBatch("scan-documents", List.of(new TrackedTask(
            new TaskRequest("scan-documents", "task_abc", null, null, Instant.now(), "test"), 0)));

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void aReplyJoinsTheBatchWithTheProvidersStatusHeadersAndBodyAndTheRequestsCredentialsAreGone() {
        Exchange polling = polling();
        Exchange call = new DefaultExchange(context);
        call.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 429);
        call.getMessage().setHeader("Retry-After", "3");
        call.getMessage().setHeader("CamelHttpResponseText", "Too Many Requests");
        call.getMessage().setBody("{\"message\":\"slow down\"}");

        Exchange joined = replies.aggregate(polling, call);

        assertSame(polling, joined);
        BatchReply reply = joined.getMessage().getBody(BatchReply.class);
        assertEquals(BatchReply.answered(batch, new ProviderReply(429, Map.of("Retry-After", "3"), "{\"message\":\"slow down\"}")), reply);
        assertEquals(Map.of(), joined.getMessage().getHeaders(), "the request's headers hold its credentials");
        assertNull(joined.getVariable(Poller.CALL_BODY));
        assertNull(joined.getException());
    }

    @Test
    void anIoFailureOfTheCallIsItsAnswerNotAnError() {
        Exchange call = new DefaultExchange(context);
        SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
        call.setException(new CamelExchangeException("call failed", call, timeout));

        Exchange joined = replies.aggregate(polling(), call);

        assertEquals(BatchReply.failed(batch, timeout), joined.getMessage().getBody(BatchReply.class));
        assertNull(joined.getException());
        assertEquals(Map.of(), joined.getMessage().getHeaders());
    }

    @Test
    void anyOtherFailureGoesOnToTheRoutesErrorHandlingWithTheBatch() {
        Exchange call = new DefaultExchange(context);
        IllegalArgumentException bug = new IllegalArgumentException("no such URL");
        call.setException(bug);

        Exchange joined = replies.aggregate(polling(), call);

        assertSame(bug, joined.getException());
        assertSame(batch, joined.getMessage().getBody());
        assertEquals(Map.of(), joined.getMessage().getHeaders());
    }

    /** The polling exchange as the enrich step has it: the batch, and the request's headers and body. */
    private Exchange polling() {
        Exchange polling = new DefaultExchange(context);
        polling.getMessage().setBody(batch);
        polling.getMessage().setHeader("x-api-key", "secret");
        polling.getMessage().setHeader(Exchange.HTTP_URI, "http://127.0.0.1:1/v1/tasks/task_abc");
        polling.setVariable(Poller.CALL_BODY, "{\"ids\":[\"task_abc\"]}");
        return polling;
    }
}
