package dev.taskpoller.engine;

/** A task's final CloudEvent, ready to publish: {@code outcome} is {@code completed} or {@code failed}. */
public record TerminalEvent(String key, String provider, String outcome, String json) {
}
