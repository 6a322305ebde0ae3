package dev.taskpoller.engine;

import dev.taskpoller.provider.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * What the owner of a task does with a cancel read from its in-flight partition: the task's {@code cancelled} event
 * to the publishing stage, like any other decided event (its cancel record is removed once the event is out), or,
 * when the task is not in flight here (unknown, finished, or finishing with another event), a rejection that says
 * so (its cancel record removed after it).
 */
public class Cancels {

    /** A cancel refused, and the key of the task it named (whose cancel record then goes). */
    public record Refusal(Rejection rejection, String taskKey) {
    }

    private final InFlightTasks tasks;
    private final EventFactory events;
    private final Consumer<TerminalEvent> publisher;
    private final Consumer<Refusal> refuser;

    public Cancels(InFlightTasks tasks, EventFactory events, Consumer<TerminalEvent> publisher, Consumer<Refusal> refuser) {
        this.tasks = tasks;
        this.events = events;
        this.publisher = publisher;
        this.refuser = refuser;
    }

    /** Cancels the task when it is in flight here and not yet decided; refuses the cancel otherwise. */
    void apply(InFlightControl cancel) {
        TrackedTask task = tasks.get(cancel.taskKey());
        if (task != null) {
            TerminalEvent cancelled = events.cancelled(task, cancel, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            if (!tasks.superseded(cancelled)) {
                publisher.accept(cancelled);
                return;
            }
        }
        refuse(cancel, "no task " + cancel.taskKey() + " is in flight: unknown, or finished already");
    }

    void refuse(InFlightControl cancel, String why) {
        TaskRequest request = cancel.request();
        refuser.accept(new Refusal(Rejection.of(Rejection.NOT_IN_FLIGHT, "cannot cancel: " + why,
                Json.write(request), request.origin(), request.provider()), cancel.taskKey()));
    }
}
