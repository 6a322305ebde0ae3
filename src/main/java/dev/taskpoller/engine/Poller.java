package dev.taskpoller.engine;

import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.TaskError;
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
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider-specific steps of a polling route: turn a batch of due tasks into the adapter's HTTP call, and turn
 * the answer (or the transport failure) into the next poll time or a terminal event for each task.
 */
public class Poller {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    static final String BATCH = "taskpoller.batch";

    private static final long WARN_EVERY_MILLIS = 60_000;

    private final Providers providers;
    private final InFlightTasks tasks;
    private final ProviderStats stats;
    private final EventFactory events;
    /** When each provider's retried calls or failed publishes were last logged: once a minute, not once a task. */
    private final Map<String, AtomicLong> lastWarned = new ConcurrentHashMap<>();

    public Poller(Providers providers, InFlightTasks tasks, ProviderStats stats, EventFactory events) {
        this.providers = providers;
        this.events = events;
        this.tasks = tasks;
        this.stats = stats;
    }

    /** Sets the message up as the adapter's status call for camel-http: method, URL, headers, body. */
    public void prepareCall(Exchange exchange) {
        PollBatch batch = exchange.getMessage().getBody(PollBatch.class);
        exchange.setProperty(BATCH, batch);
        StatusCall call = providers.adapter(batch.provider()).statusCall(batch.taskIds(), providers.settings(batch.provider()).endpoint());
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeaders(new HashMap<>(call.headers()));
        message.setHeader(Exchange.HTTP_METHOD, call.method());
        message.setHeader(Exchange.HTTP_URI, call.url());
        message.setBody(call.body());
        stats.polled(batch.provider());
    }

    /**
     * Reads the reply into an outcome per task, reschedules the unfinished ones and returns the terminal events.
     * Clears the headers, which still hold the request's credentials.
     */
    public List<TerminalEvent> readReply(Exchange exchange) {
        PollBatch batch = exchange.getProperty(BATCH, PollBatch.class);
        ProviderAdapter adapter = providers.adapter(batch.provider());
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, PollOutcome> outcomes;
        if (failure != null) {
            LOG.debug("Status call to {} failed: {}", batch.provider(), Excerpt.forLog(failure.toString()));
            PollOutcome transport = PollOutcome.retry(new TaskError(TaskError.TRANSPORT_ERROR, failure.getClass().getSimpleName()
                    + ": " + failure.getMessage(), null), null, null);
            outcomes = HttpReplies.sameForAll(batch.taskIds(), transport);
        } else {
            ProviderReply reply = reply(exchange.getMessage());
            try {
                outcomes = adapter.interpret(batch.taskIds(), reply);
            } catch (RuntimeException unexpected) {
                // at most once a minute at WARN, as the retry it becomes (below)
                LOG.debug("The {} adapter could not read a reply (HTTP {}): {}", batch.provider(), reply.status(),
                        Excerpt.forLog(unexpected.toString()));
                outcomes = HttpReplies.sameForAll(batch.taskIds(), HttpReplies.badResponse(reply, "unreadable reply: " + unexpected.getMessage()));
            }
        }
        exchange.getMessage().getHeaders().clear();
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        outcomes.values().stream().filter(outcome -> outcome.status() == PollOutcome.Status.RETRY).findFirst()
                .ifPresent(retry -> warnAtMostOncePerMinute(batch.provider(), retry.error()));
        return decide(batch, outcomes);
    }

    private List<TerminalEvent> decide(PollBatch batch, Map<String, PollOutcome> outcomes) {
        PollPolicy policy = providers.settings(batch.provider()).policy();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<TerminalEvent> events = new ArrayList<>();
        for (TrackedTask task : batch.tasks()) {
            try {
                decide(task, outcomes.get(task.taskId()), policy, now).ifPresent(events::add);
            } catch (RuntimeException unexpected) {
                // one task's bug must not cost the rest of the batch their events
                LOG.error("Deciding on {} failed; polling it again in {}", Excerpt.forLog(task.key()), policy.interval(), unexpected);
                tasks.pollAgainAt(task, now.plus(policy.interval()).toEpochMilli());
            }
        }
        return events;
    }

    /** A provider that keeps refusing or failing calls shows in the log, without one line per poll. */
    private void warnAtMostOncePerMinute(String provider, TaskError error) {
        if (warningDue("calls to " + provider)) {
            LOG.warn("Status calls to {} are being retried: {} ({}); logged at most once a minute", provider,
                    error.reason(), Excerpt.forLog(error.message()));
        }
    }

    /** Whether a warning on this subject was not logged within the last minute; if so, it counts as logged now. */
    private boolean warningDue(String subject) {
        AtomicLong last = lastWarned.computeIfAbsent(subject, name -> new AtomicLong());
        long now = System.currentTimeMillis();
        long previous = last.get();
        return now - previous >= WARN_EVERY_MILLIS && last.compareAndSet(previous, now);
    }

    /** Puts the tasks of a batch whose poll failed unexpectedly (a bug, not a provider error) back in line. */
    public void pollAgainLater(Exchange exchange) {
        PollBatch batch = exchange.getProperty(BATCH, PollBatch.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (batch == null) {
            LOG.error("A polling loop failed outside any batch", cause);
            return;
        }
        Duration wait = providers.settings(batch.provider()).policy().interval();
        LOG.error("Polling {} task(s) of {} failed unexpectedly; polling them again in {}", batch.tasks().size(),
                batch.provider(), wait, cause);
        long at = System.currentTimeMillis() + wait.toMillis();
        batch.tasks().forEach(task -> tasks.pollAgainAt(task, at));
        exchange.getMessage().getHeaders().clear();
    }

    /** The terminal event of a task after this poll, or empty when it is put back in line. */
    private Optional<TerminalEvent> decide(TrackedTask task, PollOutcome answer, PollPolicy policy, Instant now) {
        PollOutcome outcome = answer != null ? answer : PollOutcome.retry(
                new TaskError(TaskError.BAD_RESPONSE, "the reply said nothing about this task", null), null, null);
        int attempts = task.countAttempt();
        task.lastResponse(outcome.providerResponse());
        Instant deadline = task.request().acceptedAt().plus(policy.deadline());
        if (outcome.status() == PollOutcome.Status.COMPLETED) {
            return Optional.of(events.completed(task, outcome, now));
        }
        if (outcome.status() == PollOutcome.Status.FAILED) {
            return Optional.of(events.failed(task, outcome, outcome.error(), now));
        }
        if (!now.isBefore(deadline)) {
            return Optional.of(events.failed(task, outcome, new TaskError(TaskError.DEADLINE_EXCEEDED,
                    "no terminal status within " + policy.deadline() + lastError(outcome), null), now));
        }
        if (attempts >= policy.maxAttempts()) {
            boolean unreadable = outcome.error() != null && TaskError.BAD_RESPONSE.equals(outcome.error().reason());
            return Optional.of(events.failed(task, outcome, new TaskError(unreadable ? TaskError.BAD_RESPONSE : TaskError.MAX_ATTEMPTS,
                    "no terminal status after " + attempts + " polls" + lastError(outcome),
                    outcome.error() == null ? null : outcome.error().httpStatus()), now));
        }
        Instant next = now.plus(policy.wait(attempts, outcome.retryAfter()));
        tasks.pollAgainAt(task, (next.isAfter(deadline) ? deadline : next).toEpochMilli());
        return Optional.empty();
    }

    /** Polls a task again later because its terminal event could not be published; it stays in flight meanwhile. */
    public void retryPublish(TerminalEvent event) {
        Duration wait = providers.settings(event.provider()).policy().interval();
        // the broker or the disk: every task finishing meanwhile fails alike, so one line a minute, not one a task
        if (warningDue("publishing " + event.provider())) {
            LOG.warn("Publishing {} events failed (the {} event of {} and maybe others); their tasks are polled again"
                    + " in {}; logged at most once a minute", event.provider(), event.outcome(),
                    Excerpt.forLog(event.key()), wait);
        } else {
            LOG.debug("Publishing the {} event of {} failed; polling it again in {}", event.outcome(),
                    Excerpt.forLog(event.key()), wait);
        }
        tasks.pollAgainAt(event.task(), System.currentTimeMillis() + wait.toMillis());
    }

    private static String lastError(PollOutcome outcome) {
        return outcome.error() == null ? "" : " (last error: " + outcome.error().reason() + ", " + outcome.error().message() + ")";
    }

    private static ProviderReply reply(Message message) {
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Map<String, String> headers = new HashMap<>();
        message.getHeaders().forEach((name, value) -> {
            if (value != null && !name.startsWith("Camel")) {
                headers.put(name, value.toString());
            }
        });
        return new ProviderReply(status == null ? 0 : status, headers, message.getBody(String.class));
    }
}
