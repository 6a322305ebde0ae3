package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.StatusCall;
import dev.taskpoller.provider.TaskError;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider adapter made from a {@link ProviderDefinition}: one task per call, or many in one where the definition
 * has a batch call (its items matched back by id). Every reply (every item of a batch answer) goes through the
 * definition's acceptor rules in order and the first that matches decides. A 2xx reply no rule matches is a retryable
 * {@code bad_response} (never completed), as is a 2xx that is not a JSON object; any other reply no rule matches is
 * classified as every provider's errors are ({@link HttpReplies#classifyError}: 404 not found, 429 waits for its
 * {@code Retry-After}, ...), with the message {@code errorMessage} finds in its body.
 */
public final class DeclarativeAdapter extends DefinedProvider {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    public DeclarativeAdapter(ProviderDefinition definition) {
        super(definition);
    }

    @Override
    public int maxBatchSize() {
        return definition().batch() == null ? 1 : definition().batch().maxSize();
    }

    @Override
    public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
        boolean batch = taskIds.size() > 1 && definition().batch() != null;
        Map<String, String> values = new HashMap<>(definition().parameters());
        values.put(DefinitionReader.TASK_ID, batch ? "" : ProviderAdapter.onlyTaskId(taskIds));
        String url = endpoint.url(expand(definition().path(), values::get, DeclarativeAdapter::pathSegment));
        Map<String, String> headers = new LinkedHashMap<>(definition().headers());
        if (definition().authHeader() != null) {
            String key = Objects.requireNonNullElse(endpoint.apiKey(), "");
            headers.put(definition().authHeader(), definition().authScheme() == null ? key : definition().authScheme() + " " + key);
        }
        String body;
        if (batch) {
            String ids = Json.write(taskIds);
            body = expand(definition().batch().body(), name -> name.equals(DefinitionReader.TASK_IDS) ? ids
                    : Json.inString(values.get(name)), UnaryOperator.identity());
        } else {
            body = definition().body() == null ? null : expand(definition().body(), values::get, Json::inString);
        }
        return new StatusCall(definition().method(), url, headers, body);
    }

    private static String expand(String template, Function<String, String> values, UnaryOperator<String> escape) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(expanded, Matcher.quoteReplacement(escape.apply(values.apply(m.group(1)))));
        }
        return m.appendTail(expanded).toString();
    }

    @Override
    public Map<String, PollOutcome> interpret(List<String> taskIds, ProviderReply reply) {
        if (taskIds.size() == 1 || definition().batch() == null) {
            String taskId = ProviderAdapter.onlyTaskId(taskIds);
            return Map.of(taskId, read(taskId, reply));
        }
        Optional<JsonNode> body = Json.parse(reply.body());
        if (!reply.isSuccess()) {
            return HttpReplies.sameForAll(taskIds, errorOutcome(reply, body.map(this::errorMessage).orElse(null)));
        }
        if (body.isEmpty() || !body.get().isObject()) {
            return HttpReplies.sameForAll(taskIds, HttpReplies.badResponse(reply, definition().notJson().resolve(null, null)));
        }
        return batch(taskIds, body.get(), reply);
    }

    private PollOutcome read(String taskId, ProviderReply reply) {
        Optional<JsonNode> body = Json.parse(reply.body());
        if (!reply.isSuccess()) {
            return errorOutcome(reply, body.map(this::errorMessage).orElse(null));
        }
        if (body.isEmpty() || !body.get().isObject()) {
            return HttpReplies.badResponse(reply, definition().notJson().resolve(null, taskId));
        }
        return readTask(taskId, body.get(), reply, reply.body());
    }

    private Map<String, PollOutcome> batch(List<String> taskIds, JsonNode body, ProviderReply reply) {
        BatchCall batch = definition().batch();
        JsonNode items = JsonPaths.read(batch.items(), body);
        if (items == null || !items.isArray()) {
            return HttpReplies.sameForAll(taskIds, HttpReplies.badResponse(reply, batch.noItems().resolve(body, null)));
        }
        Map<String, JsonNode> byId = new HashMap<>();
        items.forEach(item -> {
            String id = JsonPaths.text(batch.itemId(), item);
            if (id != null) {
                byId.putIfAbsent(id, item);
            }
        });
        JsonNode count = batch.count() == null ? null : JsonPaths.read(batch.count(), body);
        boolean complete = count == null || !count.canConvertToInt() || count.intValue() == items.size();
        Map<String, PollOutcome> outcomes = new LinkedHashMap<>();
        for (String id : taskIds) {
            JsonNode item = byId.get(id);
            if (item != null) {
                outcomes.put(id, readTask(id, item, reply, Json.write(item)));
            } else if (complete) {
                outcomes.put(id, PollOutcome.failed(new TaskError(batch.missingReason(),
                        batch.missingMessage().resolve(body, id), reply.status()), null, reply.body()));
            } else {
                outcomes.put(id, HttpReplies.badResponse(reply, batch.incomplete().resolve(body, id)));
            }
        }
        return outcomes;
    }

    /** Encoded so that the value stays one path segment whatever it holds ('/', '..', '?', '%'). */
    private static String pathSegment(String value) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    /** A task object (the reply, or one item of a batch answer, {@code raw} as the event carries it). */
    private PollOutcome readTask(String taskId, JsonNode body, ProviderReply reply, String raw) {
        Optional<Match> match = firstMatch(reply, body, taskId);
        if (match.isEmpty()) {
            return HttpReplies.badResponse(reply, "no acceptor rule of " + definition().source() + " matches this "
                    + reply.status() + " reply", raw);
        }
        Acceptor acceptor = match.get().rule();
        body = match.get().body();
        String message = acceptor.message().resolve(body, taskId);
        ResultMapping mapping = acceptor.result() != null ? acceptor.result() : definition().result();
        return switch (acceptor.state()) {
            case RUNNING -> PollOutcome.running(raw);
            case COMPLETED -> PollOutcome.completed(mapping.read(body), raw).finishedAt(mapping.finishedAt(body));
            case FAILED -> PollOutcome.failed(new TaskError(
                    Objects.requireNonNullElse(acceptor.reason(), TaskError.PROVIDER_FAILED),
                    Objects.requireNonNullElse(message, definition().name() + " reported the task as failed"), null),
                    // a failure carries a result only where its rule maps one (details of what went wrong)
                    acceptor.result() == null ? null : acceptor.result().read(body), raw)
                    .finishedAt(mapping.finishedAt(body));
            case RETRY -> PollOutcome.retry(new TaskError(Objects.requireNonNullElse(acceptor.reason(), TaskError.BAD_RESPONSE),
                    Objects.requireNonNullElse(message, definition().name() + " answered a reply it cannot be read from"),
                    reply.status()), null, raw);
        };
    }

    private PollOutcome errorOutcome(ProviderReply reply, String providerMessage) {
        JsonNode body = Json.parse(reply.body()).orElse(null);
        PollOutcome classified = HttpReplies.classifyError(reply, providerMessage).orElseThrow();
        Optional<Match> match = firstMatch(reply, body, null);
        if (match.isEmpty()) {
            return classified;
        }
        Acceptor acceptor = match.get().rule();
        body = match.get().body();
        TaskError shared = classified.error();
        String message = Objects.requireNonNullElse(acceptor.message().resolve(body, null), shared.message());
        return switch (acceptor.state()) {
            case RUNNING -> PollOutcome.running(reply.body());
            // a rule cannot complete a task on an error reply (checked when the definition is read)
            case COMPLETED -> classified;
            case FAILED -> PollOutcome.failed(new TaskError(Objects.requireNonNullElse(acceptor.reason(),
                    shared.reason()), message, reply.status()), null, reply.body());
            case RETRY -> PollOutcome.retry(new TaskError(Objects.requireNonNullElse(acceptor.reason(),
                    classified.status() == PollOutcome.Status.RETRY ? shared.reason() : TaskError.PROVIDER_UNAVAILABLE),
                    message, reply.status()),
                    reply.status() == 429 ? HttpReplies.rateLimitWait(reply) : HttpReplies.retryAfter(reply), reply.body());
        };
    }

    /** The rule that decides, and the body it decides on: inside an envelope once an unwrap rule matched. */
    private record Match(Acceptor rule, JsonNode body) {
    }

    private Optional<Match> firstMatch(ProviderReply reply, JsonNode body, String taskId) {
        JsonNode reading = body;
        for (Acceptor rule : definition().acceptors()) {
            if (rule.matches(reply.status(), reading, taskId)) {
                if (rule.unwrap() == null) {
                    return Optional.of(new Match(rule, reading));
                }
                reading = JsonPaths.read(rule.unwrap(), reading);
            }
        }
        return Optional.empty();
    }

    private String errorMessage(JsonNode body) {
        return definition().errorMessage().resolve(body, null);
    }
}
