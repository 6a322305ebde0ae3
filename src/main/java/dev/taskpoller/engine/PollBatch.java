package dev.taskpoller.engine;

import java.util.List;

/** Tasks of one provider asked about in one status call (one task unless the provider has a batch call). */
public record PollBatch(String provider, List<TrackedTask> tasks) {

    public List<String> taskIds() {
        return tasks.stream().map(TrackedTask::taskId).toList();
    }
}
