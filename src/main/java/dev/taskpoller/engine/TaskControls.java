package dev.taskpoller.engine;

import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.TaskError;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the owner of a task does with a control record read from its in-flight partition (control.yaml,
 * webhooks.yaml). A cancel of a task in flight decides its {@code cancelled} event; a provider's webhook that says the
 * task ended decides the same event as the poll that would have read that answer (the adapter reads it). Either goes
 * to the publishing stage like any decided event, after which the control record is removed. A cancel of a task not
 * in flight here (unknown, finished, or finishing with another event) is refused with a rejection; a webhook about
 * one is ignored; the control record goes after either.
 */
public class TaskControls {

    /** A control record done with, and the rejection to publish first (a refused cancel), else null. */
    public record Refusal(Rejection rejection, String taskKey) {
    }

    private final Providers providers;
    private final InFlightTasks tasks;
    private final EventFactory events;
    private final Consumer<TerminalEvent> publisher;
    private final Consumer<Refusal> refuser;
    /** Tasks whose event a control record decided: their control record goes with the event (EventTransactions). */
    private final Set<String> decidedByControl = ConcurrentHashMap.newKeySet();

    public TaskControls(Providers providers, InFlightTasks tasks, EventFactory events, Consumer<TerminalEvent> publisher,
                        Consumer<Refusal> refuser) {
        this.providers = providers;
        this.tasks = tasks;
        this.events = events;
        this.publisher = publisher;
        this.refuser = refuser;
    }

    /** Acts on a control record about a task of a partition this instance owns (rebuilt, when it was rebuilding). */
    void apply(InFlightControl control) {
        TrackedTask task = tasks.get(control.taskKey());
        TerminalEvent event = task == null ? null : decide(task, control);
        if (event != null && !tasks.superseded(event)) {
            decidedByControl.add(control.taskKey());
            publisher.accept(event);
        } else if (InFlightControl.CANCEL.equals(control.action())) {
            refuse(control, "no task " + control.taskKey() + " is in flight: unknown, or finished already");
        } else {
            done(control);
        }
    }

    /** Whether this task's event was decided by a control record, which goes in the event's transaction. */
    public boolean decided(String taskKey) {
        return decidedByControl.contains(taskKey);
    }

    /** The task's event is out, and with it the tombstone of the control record that decided it, if one did. */
    public void settled(String taskKey) {
        decidedByControl.remove(taskKey);
    }

    /** The event a control record decides for a task in flight, or null when it decides none. */
    private TerminalEvent decide(TrackedTask task, InFlightControl control) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (InFlightControl.CANCEL.equals(control.action())) {
            return events.cancelled(task, control, now);
        }
        if (InFlightControl.WEBHOOK.equals(control.action()) && control.payload() != null) {
            PollOutcome outcome = providers.adapter(task.provider())
                    .interpret(List.of(task.taskId()), new ProviderReply(200, control.payload())).get(task.taskId());
            if (outcome != null && outcome.status() == PollOutcome.Status.COMPLETED) {
                return events.completed(task, outcome, now);
            }
            if (outcome != null && outcome.status() == PollOutcome.Status.FAILED) {
                return events.failed(task, outcome, outcome.error(), now);
            }
        }
        return null;
    }

    /** A control record about a task whose event was decided before a rebuild: that event stays the task's. */
    void applyToDecided(InFlightControl control, String decidedReason) {
        if (InFlightControl.CANCEL.equals(control.action()) && !TaskError.CANCELLED.equals(decidedReason)) {
            refuse(control, "task " + control.taskKey() + " finished already");
        } else {
            decidedByControl.add(control.taskKey());
        }
    }

    void refuse(InFlightControl cancel, String why) {
        TaskRequest request = cancel.request();
        refuser.accept(new Refusal(Rejection.of(Rejection.NOT_IN_FLIGHT, "cannot cancel: " + why,
                Json.write(request), request.origin(), request.provider()), cancel.taskKey()));
    }

    private void done(InFlightControl control) {
        refuser.accept(new Refusal(null, control.taskKey()));
    }
}
