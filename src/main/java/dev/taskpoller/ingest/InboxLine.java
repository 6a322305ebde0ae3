package dev.taskpoller.ingest;

import dev.taskpoller.engine.Submission;

/** A line of an inbox file read into a submission, with where it came from so that it can be marked done. */
public record InboxLine(InboxArrival arrival, int number, Submission submission) {
}
