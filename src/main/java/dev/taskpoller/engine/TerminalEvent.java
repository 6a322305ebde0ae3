package dev.taskpoller.engine;

/**
 * A task's final CloudEvent, ready to publish: {@code outcome} is {@code completed} or {@code failed}; {@code task}
 * is the in-flight copy that produced it, released once the event is out.
 */
public record TerminalEvent(String key, String provider, String outcome, String json, TrackedTask task) {
}
