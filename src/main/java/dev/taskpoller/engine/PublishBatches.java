package dev.taskpoller.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.seda.QueueReference;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.DefaultMessage;

/**
 * How publish.yaml batches terminal events: a batch is whatever waits in the publishing queue when the last one is
 * done, up to {@code taskpoller.publish.batch-size} (passed by at most one hand-over's events: a status call's come
 * together). No batch waits for more to come: one event alone is published at once, and while a transaction commits
 * the next batch gathers by itself (the slices of the accept path, alike).
 */
public class PublishBatches implements AggregationStrategy {

    /** The lines of one outbox file, written in one append. */
    public record OutboxLines(String outcome, String text) {
    }

    /** The header that tells a hook's event's outcome (completed or failed), for its seda queue. */
    public static final String OUTCOME_HEADER = "taskpollerOutcome";

    private final int batchSize;
    private volatile SedaEndpoint queue;

    public PublishBatches(int batchSize) {
        this.batchSize = batchSize;
    }

    /** The batch so far (a list of events), with the events of one more hand-over: an event, or a list of them. */
    @Override
    public Exchange aggregate(Exchange batch, Exchange handedOver) {
        Object events = handedOver.getMessage().getBody();
        if (batch == null) {
            handedOver.getMessage().setBody(new ArrayList<>(eventsOf(events)));
            return handedOver;
        }
        eventsOf(batch).addAll(eventsOf(events));
        return batch;
    }

    @SuppressWarnings("unchecked")
    private static List<TerminalEvent> eventsOf(Object body) {
        if (body instanceof Exchange exchange) {
            return exchange.getMessage().getBody(List.class);
        }
        if (body instanceof TerminalEvent event) {
            return List.of(event);
        }
        if (body instanceof List<?> list) {
            return (List<TerminalEvent>) list;
        }
        throw new IllegalArgumentException("not a terminal event nor a list of them: " + body);
    }

    /** The aggregator's completion: the batch is full, or nothing more waits to join it now. */
    public boolean complete(Exchange batch) {
        if (eventsOf(batch).size() >= batchSize) {
            return true;
        }
        Endpoint from = batch.getFromEndpoint();
        if (from instanceof SedaEndpoint seda) {
            queue = seda;
            return seda.getQueue().isEmpty();
        }
        return true;
    }

    /** The terminal events waiting to be published (a gauge). */
    public int waiting() {
        SedaEndpoint current = queue;
        return current == null ? 0 : current.getQueue().size();
    }

    /** The batch's events as outbox lines, one text per outcome's file, each line ended. */
    public List<OutboxLines> outbox(EventTransactions.Published published) {
        Map<String, StringBuilder> byOutcome = new LinkedHashMap<>();
        for (TerminalEvent event : published.events()) {
            byOutcome.computeIfAbsent(event.outcome(), outcome -> new StringBuilder()).append(event.json()).append('\n');
        }
        List<OutboxLines> lines = new ArrayList<>();
        byOutcome.forEach((outcome, text) -> lines.add(new OutboxLines(outcome, text.toString())));
        return lines;
    }

    /**
     * The batch's events as the host's hooks get them: each event's JSON, its outcome in a header; those of an
     * outcome nothing consumes are left out here rather than split off one by one and then dropped by the queue.
     */
    public List<Message> hooks(Exchange exchange) {
        EventTransactions.Published published = exchange.getMessage().getBody(EventTransactions.Published.class);
        List<Message> hooks = new ArrayList<>();
        for (TerminalEvent event : published.events()) {
            if (!consumed(exchange.getContext(), event.outcome())) {
                continue;
            }
            Message hook = new DefaultMessage(exchange.getContext());
            hook.setHeader(OUTCOME_HEADER, event.outcome());
            hook.setBody(event.json());
            hooks.add(hook);
        }
        return hooks;
    }

    /** Whether a host's route consumes this outcome's queue (whatever options its endpoint URI has). */
    private static boolean consumed(CamelContext context, String outcome) {
        QueueReference hook = context.getComponent("seda", SedaComponent.class)
                .getQueueReference("seda://taskpoller-" + outcome);
        return hook != null && hook.hasConsumers();
    }
}
