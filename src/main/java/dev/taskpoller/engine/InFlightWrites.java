package dev.taskpoller.engine;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * The in-flight records of one slice of input (lines of a file, one poll of the requests topic), each an exchange of
 * its own (key header, JSON body) that direct:taskpoller-await-writes sends in one camel-kafka {@code to:}: sent
 * without waiting for each other, done once the broker has acknowledged or refused every one, which camel-kafka marks
 * on each record's exchange. Shared by the split's sub-exchanges through an exchange property.
 */
public final class InFlightWrites {

    /** The exchange property that holds the writes of the slice being read. */
    public static final String PROPERTY = "taskpollerInFlightWrites";

    record Write(TaskRequest request, Exchange record) {
    }

    private final List<Write> writes = new ArrayList<>();

    synchronized void add(TaskRequest request, Exchange record) {
        writes.add(new Write(request, record));
    }

    /** The records to send, in the order their tasks were accepted (the body of the {@code to:}). */
    public synchronized List<Exchange> getRecords() {
        return writes.stream().map(Write::record).toList();
    }

    synchronized List<Write> all() {
        return List.copyOf(writes);
    }
}
