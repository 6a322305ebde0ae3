package dev.taskpoller.engine;

import dev.taskpoller.provider.ProviderReply;
import java.io.IOException;

/**
 * What a batch's status call brought back: the provider's reply, or the I/O failure (no connection, a timeout)
 * that left it without one. Exactly one of {@code reply} and {@code failure} is set.
 */
public record BatchReply(PollBatch batch, ProviderReply reply, IOException failure) {

    public static BatchReply answered(PollBatch batch, ProviderReply reply) {
        return new BatchReply(batch, reply, null);
    }

    public static BatchReply failed(PollBatch batch, IOException failure) {
        return new BatchReply(batch, null, failure);
    }

    public String provider() {
        return batch.provider();
    }
}
