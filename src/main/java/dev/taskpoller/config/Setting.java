package dev.taskpoller.config;

/** One global configuration key: its full name, the type of its value and what it means. */
public record Setting<T>(String name, ValueType<T> type, String meaning) {
}
