package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.provider.HttpReplies;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.PollOutcome;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.ProviderEndpoint;
import dev.taskpoller.provider.ProviderReply;
import dev.taskpoller.provider.SingleTaskAdapter;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider adapter made from a {@link ProviderDefinition}: one task per call. Every reply goes through the
 * definition's acceptor rules in order and the first that matches decides. A 2xx reply no rule matches is a retryable
 * {@code bad_response} (never completed), as is a 2xx that is not a JSON object; any other reply no rule matches is
 * classified as every provider's errors are ({@link HttpReplies#classifyError}: 404 not found, 429 waits for its
 * {@code Retry-After}, ...), with the message {@code errorMessage} finds in its body.
 */
public final class DeclarativeAdapter extends SingleTaskAdapter {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    private final ProviderDefinition definition;

    public DeclarativeAdapter(ProviderDefinition definition) {
        super(definition.name(), definition.taskIds());
        this.definition = definition;
    }

    public ProviderDefinition definition() {
        return definition;
    }

    @Override
    public StatusCall statusCall(List<String> taskIds, ProviderEndpoint endpoint) {
        Map<String, String> values = new HashMap<>(definition.parameters());
        values.put(DefinitionReader.TASK_ID, ProviderAdapter.onlyTaskId(taskIds));
        String url = endpoint.url(expand(definition.path(), values, DeclarativeAdapter::pathSegment));
        Map<String, String> headers = new LinkedHashMap<>(definition.headers());
        if (definition.authHeader() != null) {
            String key = Objects.requireNonNullElse(endpoint.apiKey(), "");
            headers.put(definition.authHeader(), definition.authScheme() == null ? key : definition.authScheme() + " " + key);
        }
        String body = definition.body() == null ? null : expand(definition.body(), values, Json::inString);
        return new StatusCall(definition.method(), url, headers, body);
    }

    private static String expand(String template, Map<String, String> values, java.util.function.UnaryOperator<String> escape) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(expanded, Matcher.quoteReplacement(escape.apply(values.get(m.group(1)))));
        }
        return m.appendTail(expanded).toString();
    }

    /** Encoded so that the value stays one path segment whatever it holds ('/', '..', '?', '%'). */
    private static String pathSegment(String value) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    @Override
    protected PollOutcome readTask(String taskId, JsonNode body, ProviderReply reply) {
        Optional<Acceptor> rule = firstMatch(reply, body, taskId);
        if (rule.isEmpty()) {
            return HttpReplies.badResponse(reply, "no acceptor rule of " + definition.source() + " matches this "
                    + reply.status() + " reply");
        }
        Acceptor acceptor = rule.get();
        String message = acceptor.message().resolve(body, taskId);
        ResultMapping mapping = acceptor.result() != null ? acceptor.result() : definition.result();
        return switch (acceptor.state()) {
            case RUNNING -> PollOutcome.running(reply.body());
            case COMPLETED -> PollOutcome.completed(mapping.read(body), reply.body()).finishedAt(mapping.finishedAt(body));
            case FAILED -> PollOutcome.failed(new TaskError(
                    Objects.requireNonNullElse(acceptor.reason(), TaskError.PROVIDER_FAILED),
                    Objects.requireNonNullElse(message, definition.name() + " reported the task as failed"), null),
                    // a failure carries a result only where its rule maps one (details of what went wrong)
                    acceptor.result() == null ? null : acceptor.result().read(body), reply.body())
                    .finishedAt(mapping.finishedAt(body));
            case RETRY -> PollOutcome.retry(new TaskError(Objects.requireNonNullElse(acceptor.reason(), TaskError.BAD_RESPONSE),
                    Objects.requireNonNullElse(message, definition.name() + " answered a reply it cannot be read from"),
                    reply.status()), null, reply.body());
        };
    }

    @Override
    protected PollOutcome errorOutcome(ProviderReply reply, String providerMessage) {
        JsonNode body = Json.parse(reply.body()).orElse(null);
        PollOutcome classified = super.errorOutcome(reply, providerMessage);
        Optional<Acceptor> rule = firstMatch(reply, body, null);
        if (rule.isEmpty()) {
            return classified;
        }
        Acceptor acceptor = rule.get();
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

    private Optional<Acceptor> firstMatch(ProviderReply reply, JsonNode body, String taskId) {
        return definition.acceptors().stream().filter(rule -> rule.matches(reply.status(), body, taskId)).findFirst();
    }

    @Override
    protected String errorMessage(JsonNode body) {
        return definition.errorMessage().resolve(body, null);
    }

    @Override
    protected String notAnObject(String taskId) {
        return definition.notJson().resolve(null, taskId);
    }
}
