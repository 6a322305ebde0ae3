package dev.taskpoller.engine;

import dev.taskpoller.engine.PollResult.NextPoll;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.TaskError;
import dev.taskpoller.text.Excerpt;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider-specific steps of a polling route: turn a batch of due tasks into the adapter's HTTP call, and turn
 * its reply (or the transport failure) into a {@link PollResult}: the next poll time or a terminal event for each task.
 */
public class Poller {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    /** The variable the status call sends its body from (poll.yaml): the batch stays the message's body. */
    static final String CALL_BODY = "taskpollerStatusCallBody";

    private static final long WARN_EVERY_MILLIS = 60_000;

    private final Providers providers;
    private final InFlightTasks tasks;
    private final ProviderStats stats;
    private final EventFactory events;
    private final ProviderFaults faults = new ProviderFaults();
    private final ProviderCircuits circuits;
    /** When each provider's retried calls or failed publishes were last logged: once a minute, not once a task. */
    private final Map<String, AtomicLong> lastWarned = new ConcurrentHashMap<>();

    public Poller(Providers providers, InFlightTasks tasks, ProviderStats stats, EventFactory events,
                  ProviderCircuits circuits) {
        this.providers = providers;
        this.circuits = circuits;
        this.events = events;
        this.tasks = tasks;
        this.stats = stats;
    }

    /** Each provider's error clock, as the status calls left it (for health checks). */
    public ProviderFaults faults() {
        return faults;
    }

    /**
     * Sets the message up as the adapter's status call for the batch (its body, which it stays): method, URL and
     * headers for camel-http, and the request's body in the variable {@value #CALL_BODY} that the call sends.
     */
    public void prepareCall(@Body PollBatch batch, Exchange exchange) {
        StatusCall call = providers.adapter(batch.provider()).statusCall(batch.taskIds(), providers.settings(batch.provider()).endpoint());
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeaders(new HashMap<>(call.headers()));
        // the enum camel-http wants: as a String it is converted at every call, through a converter lookup that misses
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(call.method()));
        message.setHeader(Exchange.HTTP_URI, call.url());
        exchange.setVariable(CALL_BODY, call.body());
        stats.polled(batch.provider());
    }

    /** Reads the reply into an outcome per task: a terminal event, or the time to poll the task again. */
    public PollResult readReply(BatchReply answer) {
        PollBatch batch = answer.batch();
        ProviderAdapter adapter = providers.adapter(batch.provider());
        Exception failure = answer.failure();
        Map<String, PollOutcome> outcomes;
        if (failure != null) {
            LOG.debug("Status call to {} failed: {}", batch.provider(), Excerpt.forLog(failure.toString()));
            PollOutcome transport = PollOutcome.retry(new TaskError(TaskError.TRANSPORT_ERROR, failure.getClass().getSimpleName()
                    + ": " + failure.getMessage(), null), null, null);
            outcomes = HttpReplies.sameForAll(batch.taskIds(), transport);
        } else {
            ProviderReply reply = answer.reply();
            try {
                outcomes = adapter.interpret(batch.taskIds(), reply);
            } catch (RuntimeException unexpected) {
                // at most once a minute at WARN, as the retry it becomes (below)
                LOG.debug("The {} adapter could not read a reply (HTTP {}): {}", batch.provider(), reply.status(),
                        Excerpt.forLog(unexpected.toString()));
                outcomes = HttpReplies.sameForAll(batch.taskIds(), HttpReplies.badResponse(reply, "unreadable reply: " + unexpected.getMessage()));
            }
        }
        return decide(batch, outcomes);
    }

    private PollResult decide(PollBatch batch, Map<String, PollOutcome> answers) {
        PollPolicy policy = providers.settings(batch.provider()).policy();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, PollOutcome> outcomes = new HashMap<>();
        batch.taskIds().forEach(id -> outcomes.put(id, providerFault(answers.get(id))));
        stats.called(batch.provider(), outcomes.values());
        // One call, one tick of the provider's error clock: a failed batch waits as a batch, not as N backoffs.
        // An item the provider could not tell about in an otherwise good answer waits one first step of the clock.
        Optional<PollOutcome> fault = outcomes.values().stream().filter(o -> o.status() == PollOutcome.Status.RETRY).findFirst();
        Duration faultWait = null;
        if (outcomes.values().stream().anyMatch(o -> o.status() != PollOutcome.Status.RETRY)) {
            faults.answered(batch.provider());
            circuits.answered(batch.provider());
            faultWait = fault.map(f -> f.retryAfter() != null ? f.retryAfter() : policy.errorBackoff()).orElse(null);
        } else if (fault.isPresent()) {
            faultWait = faults.failed(batch.provider(), policy, fault.get().error(), fault.get().retryAfter());
            circuits.failed(batch.provider(), fault.get().error());
        }
        List<TerminalEvent> events = new ArrayList<>();
        List<NextPoll> rescheduled = new ArrayList<>();
        for (TrackedTask task : batch.tasks()) {
            try {
                decide(task, outcomes.get(task.taskId()), policy, now, faultWait, rescheduled).ifPresent(events::add);
            } catch (RuntimeException unexpected) {
                // one task's bug must not cost the rest of the batch their events
                LOG.error("Deciding on {} failed; polling it again in {}", Excerpt.forLog(task.key()), policy.interval(), unexpected);
                rescheduled.add(new NextPoll(task, now.plus(policy.interval()).toEpochMilli()));
            }
        }
        return new PollResult(batch, events, rescheduled);
    }

    /**
     * The outcome as the engine takes it. A refused credential is the provider's trouble (a wrong key would otherwise
     * fail every task in flight at once): it waits on the error clock like any failed call, until the deadline.
     * No answer for a task is an unreadable reply.
     */
    private static PollOutcome providerFault(PollOutcome answer) {
        if (answer == null) {
            return PollOutcome.retry(new TaskError(TaskError.BAD_RESPONSE, "the reply said nothing about this task", null), null, null);
        }
        if (answer.status() == PollOutcome.Status.FAILED && TaskError.UNAUTHORIZED.equals(answer.error().reason())) {
            return PollOutcome.retry(answer.error(), null, answer.providerResponse());
        }
        return answer;
    }

    /** Whether a warning on this subject was not logged within the last minute; if so, it counts as logged now. */
    private boolean warningDue(String subject) {
        AtomicLong last = lastWarned.computeIfAbsent(subject, name -> new AtomicLong());
        long now = System.currentTimeMillis();
        long previous = last.get();
        return now - previous >= WARN_EVERY_MILLIS && last.compareAndSet(previous, now);
    }

    /**
     * Puts the tasks of a batch whose poll failed unexpectedly (a bug, not a provider error) back in line, whichever
     * step it failed at: {@code polled} is the batch, its reply or its result, or the batches just taken (dispatch).
     */
    public void pollAgainLater(Object polled, Exception cause) {
        if (polled instanceof List<?> taken && taken.stream().allMatch(PollBatch.class::isInstance) && !taken.isEmpty()) {
            // taken from the queue, maybe not admitted: no permit of the circuit to give back
            taken.forEach(batch -> pollAgainLater((PollBatch) batch, cause));
            return;
        }
        PollBatch batch = polled instanceof PollBatch polledBatch ? polledBatch
                : polled instanceof BatchReply reply ? reply.batch()
                : polled instanceof PollResult result ? result.batch() : null;
        if (batch == null) {
            LOG.error("A polling loop failed outside any batch", cause);
            return;
        }
        circuits.released(batch.provider());
        pollAgainLater(batch, cause);
    }

    private void pollAgainLater(PollBatch batch, Exception cause) {
        Duration wait = providers.settings(batch.provider()).policy().interval();
        LOG.error("Polling {} task(s) of {} failed unexpectedly; polling them again in {}", batch.tasks().size(),
                batch.provider(), wait, cause);
        long at = System.currentTimeMillis() + wait.toMillis();
        batch.tasks().forEach(task -> tasks.pollAgainAt(task, at));
    }

    /**
     * The terminal event of a task after this poll, or empty when it is put back in line: after a failed call on
     * the provider's error clock ({@code faultWait}, no attempt spent), after an answer on its own backoff.
     */
    private Optional<TerminalEvent> decide(TrackedTask task, PollOutcome outcome, PollPolicy policy, Instant now,
                                           Duration faultWait, List<NextPoll> rescheduled) {
        task.countAttempt();
        Instant accepted = task.acceptedAt();
        policy = task.policy(policy);
        Instant deadline = task.deadline(policy);
        if (outcome.status() == PollOutcome.Status.COMPLETED) {
            return Optional.of(events.completed(task, outcome, now));
        }
        boolean notYetVisible = outcome.status() == PollOutcome.Status.FAILED
                && TaskError.NOT_FOUND.equals(outcome.error().reason()) && now.isBefore(accepted.plus(policy.notFoundGrace()));
        if (outcome.status() == PollOutcome.Status.FAILED && !notYetVisible) {
            return Optional.of(events.failed(task, outcome, outcome.error(), now));
        }
        if (!now.isBefore(deadline)) {
            return Optional.of(events.failed(task, outcome, atDeadline(outcome, Duration.between(accepted, deadline)), now));
        }
        Instant next;
        if (outcome.status() == PollOutcome.Status.RETRY) {
            next = now.plus(faultWait);
        } else {
            int answers = task.countAnswer();
            if (answers >= policy.maxAttempts()) {
                return Optional.of(events.failed(task, outcome, new TaskError(TaskError.MAX_ATTEMPTS,
                        "no terminal status after " + answers + " answers" + lastError(outcome), null), now));
            }
            next = now.plus(policy.backoff(answers));
        }
        rescheduled.add(new NextPoll(task, (next.isAfter(deadline) ? deadline : next).toEpochMilli()));
        return Optional.empty();
    }

    /** Why a task still unfinished at its deadline failed: a refused credential says so, anything else is the deadline. */
    private static TaskError atDeadline(PollOutcome last, Duration allowed) {
        if (last.error() != null && TaskError.UNAUTHORIZED.equals(last.error().reason())) {
            return new TaskError(TaskError.UNAUTHORIZED, "the provider refused the credential until the deadline ("
                    + allowed + "): " + last.error().message(), last.error().httpStatus());
        }
        return new TaskError(TaskError.DEADLINE_EXCEEDED, "no terminal status within " + allowed + lastError(last),
                last.error() == null ? null : last.error().httpStatus());
    }

    /**
     * Says that a terminal event could not be published yet and is being retried (publish.yaml): its task is never
     * polled again, its decided event waits for the broker or the disk.
     */
    public void retryPublish(TerminalEvent first, int batchSize) {
        // the broker or the disk: every task finishing meanwhile fails alike, so one line a minute, not one a batch
        if (warningDue("publishing")) {
            LOG.warn("Publishing a batch of {} terminal event(s) failed (the {} event of {} among them); the batch is"
                    + " retried with backoff until it is published; logged at most once a minute", batchSize,
                    first.outcome(), Excerpt.forLog(first.key()));
        } else {
            LOG.debug("Publishing a batch of {} terminal event(s) failed; retrying it", batchSize);
        }
    }

    private static String lastError(PollOutcome outcome) {
        return outcome.error() == null ? "" : " (last error: " + outcome.error().reason() + ", " + outcome.error().message() + ")";
    }
}
