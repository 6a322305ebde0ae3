package dev.taskpoller.ingest;

import dev.taskpoller.engine.Rejection;
import dev.taskpoller.engine.Submission;
import dev.taskpoller.engine.TaskRequest;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * The reply of {@code direct:taskpoller-submit} (routes/embed.yaml): the accepted {@link TaskRequest} or the
 * {@link Rejection} with its reason, and the header {@value #OUTCOME} ({@code accepted} or {@code rejected}). The
 * submission runs on a copy of the host's exchange, so the host's message keeps its headers: only the body and this
 * header change.
 */
public class SubmitReply implements AggregationStrategy {

    /** The header naming the outcome: {@code accepted} or {@code rejected}. */
    public static final String OUTCOME = "taskpollerOutcome";
    /** The exchange property that holds what the request was read into. */
    public static final String SUBMITTED = "taskpollerSubmitted";
    /** The exchange property the reject route (submit.yaml) keeps the rejection it published in. */
    public static final String REJECTED = "taskpollerRejected";

    /**
     * What became of the submitted request, once its in-flight write is awaited: rejected as read, as a duplicate or
     * as too large for Kafka (a rejection the reject route published), refused by the broker ({@code refused}, from
     * awaiting the write), else accepted.
     */
    public Submission reply(@ExchangeProperty(SUBMITTED) Submission submitted,
            @ExchangeProperty(REJECTED) Rejection rejected, @Body List<Rejection> refused) {
        if (rejected != null) {
            return rejected;
        }
        return refused == null || refused.isEmpty() ? submitted : refused.get(0);
    }

    @Override
    public Exchange aggregate(Exchange host, Exchange submission) {
        Submission reply = submission.getMessage().getBody(Submission.class);
        host.getMessage().setBody(reply);
        host.getMessage().setHeader(OUTCOME, reply instanceof Rejection ? "rejected" : "accepted");
        return host;
    }
}
