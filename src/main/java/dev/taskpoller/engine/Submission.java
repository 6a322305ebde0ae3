package dev.taskpoller.engine;

/** One line or message of input, read: either a task to accept or the reason it is rejected. */
public sealed interface Submission permits TaskRequest, Rejection {
}
