package dev.taskpoller.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;

/**
 * How publish.yaml batches terminal events: a batch is whatever waits in the publishing queue when the last one is
 * done, up to {@code taskpoller.publish.batch-size}. No batch waits for more to come: one event alone is published at
 * once, and while a transaction commits the next batch gathers by itself (the slices of the accept path, alike).
 */
public class PublishBatches {

    /** The lines of one outbox file, written in one append. */
    public record OutboxLines(String outcome, String text) {
    }

    private final int batchSize;
    private volatile SedaEndpoint queue;

    public PublishBatches(int batchSize) {
        this.batchSize = batchSize;
    }

    /** The aggregator's completion: the batch is full, or nothing more waits to join it now. */
    public boolean complete(Exchange batch) {
        Integer size = batch.getProperty(Exchange.AGGREGATED_SIZE, Integer.class);
        if (size != null && size >= batchSize) {
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
}
