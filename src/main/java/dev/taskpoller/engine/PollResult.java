package dev.taskpoller.engine;

import java.util.List;

/**
 * What one status call decided for its batch: the terminal events to publish, and the tasks to poll again, each at
 * its time. Every task of the batch is in exactly one of the two.
 */
public record PollResult(PollBatch batch, List<TerminalEvent> events, List<NextPoll> rescheduled) {

    /** A task back in line, to be polled again at {@code at} (epoch millis). */
    public record NextPoll(TrackedTask task, long at) {
    }
}
