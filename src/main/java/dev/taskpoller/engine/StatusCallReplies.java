package dev.taskpoller.engine;

import dev.taskpoller.provider.ProviderReply;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.util.ObjectHelper;

/**
 * The status call's enrich step (poll.yaml): joins the batch it was made for and what it brought back into one
 * {@link BatchReply}. An I/O failure is an answer like any other (the provider's trouble, on its error clock); any
 * other failure is a bug, no answer at all, and goes on to the route's error handling with the batch.
 */
public class StatusCallReplies implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange polling, Exchange call) {
        Message message = polling.getMessage();
        PollBatch batch = message.getBody(PollBatch.class);
        // the request's headers hold its credentials: they go no further than the call
        message.removeHeaders("*");
        polling.removeVariable(Poller.CALL_BODY);
        Exception failure = call.getException();
        IOException io = failure == null ? null : ObjectHelper.getException(IOException.class, failure);
        if (io != null) {
            message.setBody(BatchReply.failed(batch, io));
        } else if (failure != null) {
            polling.setException(failure);
        } else {
            message.setBody(BatchReply.answered(batch, reply(call.getMessage())));
        }
        return polling;
    }

    /** The provider's answer as camel-http put it in the message: status, headers (not Camel's own), body text. */
    private static ProviderReply reply(Message message) {
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Map<String, String> headers = new HashMap<>();
        message.getHeaders().forEach((name, value) -> {
            if (value != null && !name.startsWith("Camel")) {
                headers.put(name, value.toString());
            }
        });
        return new ProviderReply(status == null ? 0 : status, headers, message.getBody(String.class));
    }
}
