package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.config.ProviderSetting;
import dev.taskpoller.config.Settings;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.Push;
import dev.taskpoller.provider.TaskError;
import dev.taskpoller.provider.TaskIdFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads and checks one provider definition, a Kamelet-like YAML file: {@code metadata.name}, the parameters in
 * {@code spec.definition} (JSON-schema style: title, description, type, default, pattern, and a {@code required}
 * list; {@code taskId} is the task id, its pattern the ids accepted, its description the rejection's sentence),
 * {@code spec.statusCall}, {@code spec.errorMessage}, {@code spec.notJson}, the ordered {@code spec.acceptors} and
 * {@code spec.result}. Every problem is reported together, each naming the file and the field.
 */
public final class DefinitionReader {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
    private static final Pattern STATUS = Pattern.compile("[1-5](xx|[0-9]{2})");
    private static final Set<String> METHODS = Set.of("GET", "POST");
    private static final Set<String> REASONS = Set.of(TaskError.PROVIDER_FAILED, TaskError.NOT_FOUND,
            TaskError.INVALID_TASK_ID, TaskError.UNAUTHORIZED, TaskError.BAD_REQUEST, TaskError.BAD_RESPONSE,
            TaskError.RATE_LIMITED, TaskError.PROVIDER_UNAVAILABLE);
    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean");
    /** A definition names a per-provider key in camelCase: {@code maxConcurrent} is {@code max-concurrent}. */
    private static final PropertyNamingStrategies.KebabCaseStrategy KEBAB = new PropertyNamingStrategies.KebabCaseStrategy();
    private static final Map<String, ProviderSetting<?>> PER_PROVIDER = Settings.PER_PROVIDER.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(ProviderSetting::key, setting -> setting));
    static final String TASK_ID = "taskId";
    /** The batch body's placeholder for the ids it asks about, as a JSON array. */
    static final String TASK_IDS = "taskIds";
    private static final String API_KEY = "apiKey";
    private static final Map<String, Push.Verification> VERIFICATIONS = Map.of(
            "standard-webhooks", Push.Verification.STANDARD_WEBHOOKS, "token", Push.Verification.TOKEN);
    private static final Set<String> SIMULATOR_KEYS = Set.of(TASK_ID, "running", "completed", "failed");

    private final String source;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();

    private DefinitionReader(String source) {
        this.source = source;
    }

    /**
     * @param source   the file or resource, named in every problem
     * @param fileName the name the definition's {@code metadata.name} must have ({@code <name>.yaml})
     * @throws InvalidConfigurationException naming every problem found
     */
    public static ProviderDefinition read(String source, String fileName, String yaml) {
        DefinitionReader reader = new DefinitionReader(source);
        ProviderDefinition definition = reader.definition(fileName, yaml);
        if (!reader.problems.isEmpty()) {
            throw new InvalidConfigurationException(reader.problems);
        }
        return definition;
    }

    private ProviderDefinition definition(String fileName, String yaml) {
        JsonNode root;
        try {
            root = Json.MAPPER.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(yaml));
        } catch (RuntimeException notYaml) {
            problem("(file)", "not readable as YAML: " + notYaml.getMessage());
            return null;
        }
        if (!object(root, "(file)", Set.of("apiVersion", "kind", "metadata", "spec"))) {
            return null;
        }
        String kind = text(root, "kind", "kind", true);
        if (kind != null && !kind.equals("Provider")) {
            problem("kind", "'" + kind + "': expected Provider");
        }
        text(root, "apiVersion", "apiVersion", false);
        JsonNode metadata = root.path("metadata");
        object(metadata, "metadata", Set.of("name", "annotations", "labels"));
        String name = text(metadata, "name", "metadata.name", true);
        if (name != null && !NAME.matcher(name).matches()) {
            problem("metadata.name", "'" + name + "': expected lower-case words joined by '-'");
        } else if (name != null && !fileName.equals(name + ".yaml")) {
            problem("metadata.name", "'" + name + "': expected the file's own name, " + fileName);
        }
        JsonNode spec = root.path("spec");
        if (!object(spec, "spec", Set.of("definition", "statusCall", "errorMessage", "notJson", "acceptors", "result",
                "push", "simulator", "adapter"))) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        TaskIdFormat taskIds = parameters(spec.path("definition"), parameters);
        if (spec.has("adapter")) {
            return new ProviderDefinition(name, source, taskIds, Map.copyOf(parameters), null, null, Map.of(), null, null,
                    null, null, MessageTemplates.NONE, MessageTemplates.NONE, List.of(), ResultMapping.NONE,
                    simulator(spec.path("simulator"), taskIds), Map.copyOf(defaults), push(spec.path("push")),
                    javaAdapter(spec));
        }
        JsonNode call = spec.path("statusCall");
        object(call, "spec.statusCall", Set.of("method", "path", "headers", "auth", "body", "batch"));
        String method = text(call, "method", "spec.statusCall.method", true);
        if (method != null && !METHODS.contains(method)) {
            problem("spec.statusCall.method", "'" + method + "': expected one of " + new java.util.TreeSet<>(METHODS));
        }
        String bodyText = text(call, "body", "spec.statusCall.body", false);
        String path = path(text(call, "path", "spec.statusCall.path", true), parameters.keySet(),
                bodyText != null && bodyText.contains("{" + TASK_ID + "}"));
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode headerNode = call.path("headers");
        if (!headerNode.isMissingNode() && object(headerNode, "spec.statusCall.headers", null)) {
            headerNode.fieldNames().forEachRemaining(header ->
                    headers.put(header, text(headerNode, header, "spec.statusCall.headers." + header, true)));
        }
        JsonNode auth = call.path("auth");
        if (!auth.isMissingNode()) {
            object(auth, "spec.statusCall.auth", Set.of("header", "scheme"));
        }
        String authHeader = text(auth, "header", "spec.statusCall.auth.header", false);
        String authScheme = text(auth, "scheme", "spec.statusCall.auth.scheme", false);
        String body = body(bodyText, parameters.keySet());
        BatchCall batch = call.has("batch") ? batch(call.path("batch"), parameters.keySet(), method) : null;
        if (batch != null && path != null && path.contains("{" + TASK_ID + "}")) {
            problem("spec.statusCall.path", "'" + path + "': a provider with a batch call names its ids in the bodies,"
                    + " not in the path");
        }
        MessageTemplates errorMessage = messages(spec, "errorMessage", "spec.errorMessage");
        MessageTemplates notJson = spec.has("notJson") ? messages(spec, "notJson", "spec.notJson")
                : MessageTemplates.compile(List.of("the provider answered something that is not a JSON object"));
        List<Acceptor> acceptors = acceptors(spec.path("acceptors"));
        ResultMapping result = result(spec.path("result"), "spec.result");
        return new ProviderDefinition(name, source, taskIds, Map.copyOf(parameters), method, path, Map.copyOf(headers),
                authHeader, authScheme, body, batch, errorMessage,
                notJson, acceptors, result, simulator(spec.path("simulator"), taskIds), Map.copyOf(defaults),
                push(spec.path("push")), null);
    }

    /**
     * The escape hatch, {@code spec.adapter}: a Java class (a {@link ProviderAdapter} with a public constructor without
     * arguments) makes the calls and reads the answers of an API this format cannot express; the definition still
     * gives the name, the task ids, the defaults, the credential and the push, so it leaves out what the class does.
     */
    private Class<? extends ProviderAdapter> javaAdapter(JsonNode spec) {
        for (String field : List.of("statusCall", "errorMessage", "notJson", "acceptors", "result")) {
            if (spec.has(field)) {
                problem("spec." + field, "left to spec.adapter: a definition with a Java adapter has no " + field);
            }
        }
        String className = text(spec, "adapter", "spec.adapter", true);
        if (className == null) {
            return null;
        }
        try {
            Class<?> type = Class.forName(className, false, DefinitionReader.class.getClassLoader());
            if (!ProviderAdapter.class.isAssignableFrom(type)) {
                problem("spec.adapter", "'" + className + "' does not implement " + ProviderAdapter.class.getName());
                return null;
            }
            type.getConstructor();
            return type.asSubclass(ProviderAdapter.class);
        } catch (ClassNotFoundException | LinkageError missing) {
            problem("spec.adapter", "'" + className + "': no such class on the class path");
        } catch (NoSuchMethodException noConstructor) {
            problem("spec.adapter", "'" + className + "' has no public constructor without arguments");
        }
        return null;
    }

    /** How the provider pushes a task's end, or null when it does not ({@code spec.push} left out). */
    private Push push(JsonNode node) {
        if (node.isMissingNode() || !object(node, "spec.push", Set.of("verify", "ends", "task", "taskId"))) {
            return null;
        }
        String verify = text(node, "verify", "spec.push.verify", true);
        Push.Verification verification = null;
        if (verify != null) {
            verification = VERIFICATIONS.get(verify);
            if (verification == null) {
                problem("spec.push.verify", "'" + verify + "': expected one of " + new java.util.TreeSet<>(VERIFICATIONS.keySet()));
            }
        }
        List<Acceptor.Condition> ends = conditions(node.path("ends"), "spec.push.ends", false);
        var task = jsonPath(node.has("task") ? text(node, "task", "spec.push.task", true) : "$", "spec.push.task");
        var taskId = jsonPath(node.has("taskId") ? text(node, "taskId", "spec.push.taskId", true) : "$.id", "spec.push.taskId");
        if (verification == null || task == null || taskId == null) {
            return null;
        }
        PushRule rule = new PushRule(ends, task, taskId);
        return new Push(verification, rule::read);
    }

    /** The optional replies of the generic simulator (demo and tests): an example task id and a body per phase. */
    private Map<String, String> simulator(JsonNode node, TaskIdFormat taskIds) {
        Map<String, String> replies = new LinkedHashMap<>();
        if (node.isMissingNode() || !object(node, "spec.simulator", SIMULATOR_KEYS)) {
            return Map.of();
        }
        SIMULATOR_KEYS.forEach(key -> replies.put(key, text(node, key, "spec.simulator." + key, true)));
        String example = replies.get(TASK_ID);
        if (example != null && taskIds != null && taskIds.check(example).isPresent()) {
            problem("spec.simulator.taskId", "'" + example + "': does not match the task id pattern");
        }
        replies.values().removeIf(java.util.Objects::isNull);
        return Map.copyOf(replies);
    }

    private TaskIdFormat parameters(JsonNode definition, Map<String, String> values) {
        if (!object(definition, "spec.definition", Set.of("title", "description", "type", "required", "properties"))) {
            return null;
        }
        Set<String> required = new LinkedHashSet<>();
        JsonNode requiredNode = definition.path("required");
        if (!requiredNode.isMissingNode()) {
            if (!requiredNode.isArray()) {
                problem("spec.definition.required", "expected a list of parameter names");
            } else {
                requiredNode.forEach(entry -> required.add(entry.asText()));
            }
        }
        JsonNode properties = definition.path("properties");
        if (!object(properties, "spec.definition.properties", null)) {
            return null;
        }
        required.stream().filter(parameter -> !properties.has(parameter)).forEach(parameter ->
                problem("spec.definition.required", "'" + parameter + "' is not among the properties"));
        TaskIdFormat taskIds = null;
        for (var fields = properties.fields(); fields.hasNext(); ) {
            var entry = fields.next();
            String where = "spec.definition.properties." + entry.getKey();
            JsonNode property = entry.getValue();
            if (!object(property, where, Set.of("title", "description", "type", "default", "pattern", "format", "example"))) {
                continue;
            }
            ProviderSetting<?> setting = entry.getKey().contains("-") ? null : PER_PROVIDER.get(KEBAB.translate(entry.getKey()));
            if (setting != null && Settings.TUNABLE.contains(setting)) {
                tunable(setting, property, where);
                continue;
            }
            if (setting != null && setting != Settings.API_KEY) {
                // what only an installation gives: its address, switches and secrets
                problem(where, "the installation's, never a definition's: set taskpoller.provider.<name>."
                        + setting.key() + " (a property or an environment variable)");
                continue;
            }
            text(property, "title", where + ".title", true);
            String description = text(property, "description", where + ".description", false);
            String type = text(property, "type", where + ".type", true);
            if (type != null && !TYPES.contains(type)) {
                problem(where + ".type", "'" + type + "': expected one of string, integer, number, boolean");
            }
            Pattern pattern = pattern(text(property, "pattern", where + ".pattern", false), where + ".pattern");
            JsonNode defaultNode = property.get("default");
            if (entry.getKey().equals(TASK_ID)) {
                if (!required.contains(TASK_ID)) {
                    problem("spec.definition.required", "expected taskId: every task has one");
                }
                if (pattern == null) {
                    problem(where + ".pattern", "missing: the task ids this provider accepts (checked before any call)");
                } else {
                    taskIds = new TaskIdFormat(pattern, description != null ? description
                            : "a task id of this provider matches " + pattern.pattern());
                }
                if (defaultNode != null) {
                    problem(where + ".default", "a task id comes with each request, never from the definition");
                }
                example(property, pattern, where);
            } else if (entry.getKey().equals(API_KEY) && defaultNode == null && "password".equals(property.path("format").asText())) {
                // declared, as a Kamelet declares its credential: the value comes from the configuration alone
                continue;
            } else if (entry.getKey().toLowerCase(Locale.ROOT).contains("key")) {
                problem(where, "a credential never lives in a definition: the status call's auth header takes"
                        + " taskpoller.provider.<name>.api-key (a property or an environment variable)");
            } else if (defaultNode == null || !defaultNode.isValueNode()) {
                problem(where + ".default", required.contains(entry.getKey()) ? "missing: a required parameter needs a value"
                        : "missing: expected a value");
            } else {
                String value = defaultNode.asText();
                if (("integer".equals(type) && !defaultNode.isIntegralNumber())
                        || ("number".equals(type) && !defaultNode.isNumber())
                        || ("boolean".equals(type) && !defaultNode.isBoolean())) {
                    problem(where + ".default", "'" + value + "': expected a value of type " + type);
                } else if (pattern != null && !pattern.matcher(value).matches()) {
                    problem(where + ".default", "'" + value + "': does not match its pattern " + pattern.pattern());
                }
                values.put(entry.getKey(), value);
            }
        }
        if (!properties.has(TASK_ID)) {
            problem("spec.definition.properties.taskId", "missing: the task id, with the pattern of the ids accepted");
        }
        values.put(TASK_ID, "");
        return taskIds;
    }

    /**
     * A setting's default for this provider ({@code maxConcurrent: {default: 1}}): checked as the setting's own value
     * would be, and given as {@code taskpoller.provider.<name>.<key>} wherever the configuration leaves that key unset.
     */
    private void tunable(ProviderSetting<?> setting, JsonNode property, String where) {
        JsonNode value = property.get("default");
        if (value == null || !value.isValueNode()) {
            problem(where + ".default", "missing: the provider's own " + setting.key() + " (without one, leave the"
                    + " property out and " + setting.global().name() + " applies)");
            return;
        }
        try {
            setting.type().parse(value.asText());
            defaults.put(setting.key(), value.asText());
        } catch (IllegalArgumentException wrong) {
            problem(where + ".default", "'" + value.asText() + "': expected " + setting.type().expected());
        }
    }

    /** An example id, for a reader and an editor, must be one the provider accepts. */
    private void example(JsonNode property, Pattern pattern, String where) {
        String example = text(property, "example", where + ".example", false);
        if (example != null && pattern != null && !pattern.matcher(example).matches()) {
            problem(where + ".example", "'" + example + "': does not match its pattern " + pattern.pattern());
        }
    }

    /** The path, each placeholder a whole segment of its own, so that an id can never reach another route. */
    private String path(String path, Set<String> parameters, boolean idInBody) {
        if (path == null) {
            return null;
        }
        if (!path.startsWith("/")) {
            problem("spec.statusCall.path", "'" + path + "': expected a path after the base URL, starting with /");
        }
        String beforeQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (!path.contains("{" + TASK_ID + "}") && !idInBody) {
            problem("spec.statusCall.path", "'" + path + "': expected {taskId} in it (or in the body)");
        }
        for (String segment : beforeQuery.split("/", -1)) {
            Matcher m = PLACEHOLDER.matcher(segment);
            while (m.find()) {
                if (!parameters.contains(m.group(1))) {
                    problem("spec.statusCall.path", "{" + m.group(1) + "} is not a parameter of spec.definition");
                } else if (!segment.equals(m.group())) {
                    problem("spec.statusCall.path", "{" + m.group(1) + "} must be a whole path segment of its own"
                            + " (it is URL-encoded into it)");
                }
            }
        }
        if (PLACEHOLDER.matcher(path.substring(beforeQuery.length())).find()) {
            problem("spec.statusCall.path", "placeholders belong in path segments, not in the query");
        }
        return path;
    }

    private String body(String body, Set<String> parameters) {
        if (body == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(body);
        while (m.find()) {
            if (!parameters.contains(m.group(1))) {
                problem("spec.statusCall.body", "{" + m.group(1) + "} is not a parameter of spec.definition");
            }
        }
        if (Json.parse(PLACEHOLDER.matcher(body).replaceAll("x")).isEmpty()) {
            problem("spec.statusCall.body", "not JSON (its placeholders belong inside JSON strings)");
        }
        return body;
    }

    /**
     * The batch status call: its body ({@code {taskIds}} the ids as a JSON array), where the answer's items are and
     * which task each is, and what an id without its item means.
     */
    private BatchCall batch(JsonNode node, Set<String> parameters, String method) {
        String where = "spec.statusCall.batch";
        if (!object(node, where, Set.of("maxSize", "body", "items", "itemId", "count", "noItems", "missing", "incomplete"))) {
            return null;
        }
        JsonNode maxSize = node.path("maxSize");
        if (!maxSize.isIntegralNumber() || maxSize.asInt() < 2) {
            problem(where + ".maxSize", maxSize.isMissingNode() ? "missing: the most ids one call may ask about"
                    : "'" + maxSize.asText() + "': expected a whole number, 2 or more");
        }
        if (!"POST".equals(method)) {
            problem(where, "a batch sends its ids in a body: expected spec.statusCall.method POST");
        }
        String body = text(node, "body", where + ".body", true);
        if (body != null) {
            Matcher m = PLACEHOLDER.matcher(body);
            while (m.find()) {
                if (!m.group(1).equals(TASK_IDS) && !parameters.contains(m.group(1))) {
                    problem(where + ".body", "{" + m.group(1) + "} is not a parameter of spec.definition");
                }
            }
            String filled = PLACEHOLDER.matcher(body.replace("{" + TASK_IDS + "}", "[\"x\"]")).replaceAll("x");
            if (!body.contains("{" + TASK_IDS + "}")) {
                problem(where + ".body", "expected {taskIds} in it (the ids, as a JSON array)");
            } else if (Json.parse(filled).isEmpty()) {
                problem(where + ".body", "not JSON ({taskIds} stands for an array; other placeholders belong inside"
                        + " JSON strings)");
            }
        }
        var items = jsonPath(text(node, "items", where + ".items", true), where + ".items");
        var itemId = jsonPath(node.has("itemId") ? text(node, "itemId", where + ".itemId", true) : "$.id", where + ".itemId");
        var count = jsonPath(text(node, "count", where + ".count", false), where + ".count");
        JsonNode missing = node.path("missing");
        String missingReason = TaskError.NOT_FOUND;
        MessageTemplates missingMessage = MessageTemplates.compile(List.of("not in the batch answer"));
        if (!missing.isMissingNode() && object(missing, where + ".missing", Set.of("reason", "message"))) {
            missingReason = Objects.requireNonNullElse(text(missing, "reason", where + ".missing.reason", false), missingReason);
            if (!REASONS.contains(missingReason)) {
                problem(where + ".missing.reason", "'" + missingReason + "': expected one of " + new java.util.TreeSet<>(REASONS));
            }
            if (missing.has("message")) {
                missingMessage = messages(missing, "message", where + ".missing.message");
            }
        }
        MessageTemplates noItems = node.has("noItems") ? messages(node, "noItems", where + ".noItems")
                : MessageTemplates.compile(List.of("batch answer without its items"));
        MessageTemplates incomplete = node.has("incomplete") ? messages(node, "incomplete", where + ".incomplete")
                : MessageTemplates.compile(List.of("batch answer count {$.count} disagrees with its {size:$.items} items",
                        "batch answer count disagrees with its items"));
        return body == null || items == null || itemId == null ? null : new BatchCall(maxSize.asInt(2), body, items,
                itemId, count, noItems, missingReason, missingMessage, incomplete);
    }

    private List<Acceptor> acceptors(JsonNode list) {
        List<Acceptor> acceptors = new ArrayList<>();
        if (!list.isArray() || list.isEmpty()) {
            problem("spec.acceptors", "expected a list of rules, at least one");
            return acceptors;
        }
        for (int i = 0; i < list.size(); i++) {
            String where = "spec.acceptors[" + i + "]";
            JsonNode rule = list.get(i);
            if (!object(rule, where, Set.of("status", "match", "state", "reason", "message", "result", "unwrap"))) {
                continue;
            }
            List<String> statuses = new ArrayList<>();
            JsonNode status = rule.path("status");
            (status.isArray() ? status : List.of(status)).forEach(each -> {
                if (!each.isMissingNode()) {
                    String text = each.asText();
                    if (!each.isValueNode() || !STATUS.matcher(text).matches()) {
                        problem(where + ".status", "'" + text + "': expected an HTTP status such as 200 or a class such as 2xx");
                    } else {
                        statuses.add(text);
                    }
                }
            });
            List<Acceptor.Condition> conditions = conditions(rule.path("match"), where + ".match", false);
            var unwrap = rule.has("unwrap") ? jsonPath(text(rule, "unwrap", where + ".unwrap", true), where + ".unwrap") : null;
            if (rule.has("unwrap")) {
                if (rule.has("state") || rule.has("reason") || rule.has("message") || rule.has("result")) {
                    problem(where + ".unwrap", "an unwrap rule decides nothing: no state, reason, message or result");
                }
                acceptors.add(new Acceptor(List.copyOf(statuses), conditions, null, null,
                        MessageTemplates.NONE, null, unwrap));
                continue;
            }
            String stateText = text(rule, "state", where + ".state", true);
            Acceptor.State state = null;
            if (stateText != null) {
                try {
                    state = Acceptor.State.valueOf(stateText.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException unknown) {
                    problem(where + ".state", "'" + stateText + "': expected one of running, completed, failed, retry");
                }
            }
            if (state == Acceptor.State.COMPLETED && statuses.stream().anyMatch(s -> !s.startsWith("2"))) {
                problem(where + ".status", "a completed rule matches 2xx replies only");
            }
            String reason = text(rule, "reason", where + ".reason", false);
            if (reason != null && !REASONS.contains(reason)) {
                problem(where + ".reason", "'" + reason + "': expected one of " + new java.util.TreeSet<>(REASONS));
            }
            if (reason != null && (state == Acceptor.State.RUNNING || state == Acceptor.State.COMPLETED)) {
                problem(where + ".reason", "only a failed or retry rule has a reason");
            }
            ResultMapping result = null;
            if (rule.has("result")) {
                if (state != Acceptor.State.COMPLETED && state != Acceptor.State.FAILED) {
                    problem(where + ".result", "only a completed or failed rule has a result");
                }
                result = result(rule.path("result"), where + ".result");
            }
            acceptors.add(new Acceptor(List.copyOf(statuses), conditions, state, reason,
                    messages(rule, "message", where + ".message"), result, null));
        }
        return acceptors;
    }

    /** A list of conditions (a rule's match, a push's ends, a boolean extra's holds), each checked and named by its index. */
    private List<Acceptor.Condition> conditions(JsonNode list, String where, boolean required) {
        if ((required || !list.isMissingNode()) && (!list.isArray() || (required && list.isEmpty()))) {
            problem(where, "expected a list of conditions");
        }
        List<Acceptor.Condition> conditions = new ArrayList<>();
        for (int c = 0; list.isArray() && c < list.size(); c++) {
            Acceptor.Condition condition = condition(list.get(c), where + "[" + c + "]");
            if (condition != null) {
                conditions.add(condition);
            }
        }
        return List.copyOf(conditions);
    }

    private Acceptor.Condition condition(JsonNode node, String where) {
        if (!object(node, where, Set.of("path", "equals", "missing", "not", "matches", "type", "every"))) {
            return null;
        }
        var path = jsonPath(text(node, "path", where + ".path", true), where + ".path");
        Set<String> equals = new LinkedHashSet<>();
        JsonNode equalsNode = node.path("equals");
        (equalsNode.isArray() ? equalsNode : List.of(equalsNode)).forEach(each -> {
            if (!each.isMissingNode()) {
                if (!each.isValueNode() || each.isNull()) {
                    problem(where + ".equals", "expected a value or a list of values");
                } else {
                    equals.add(each.asText());
                }
            }
        });
        JsonNode missing = node.path("missing");
        if (!missing.isMissingNode() && !missing.isBoolean()) {
            problem(where + ".missing", "expected true or false");
        }
        if (missing.asBoolean(false) && !equals.isEmpty()) {
            problem(where, "either equals or missing, not both");
        }
        JsonNode not = node.path("not");
        if (!not.isMissingNode() && !not.isBoolean()) {
            problem(where + ".not", "expected true or false");
        }
        Pattern matches = pattern(text(node, "matches", where + ".matches", false), where + ".matches");
        String type = text(node, "type", where + ".type", false);
        if (type != null && !Acceptor.CONDITION_TYPES.contains(type)) {
            problem(where + ".type", "'" + type + "': expected one of " + new java.util.TreeSet<>(Acceptor.CONDITION_TYPES));
        }
        if (missing.asBoolean(false) && (matches != null || type != null)) {
            problem(where, "missing stands alone: not with matches or type");
        }
        JsonNode every = node.path("every");
        if (!every.isMissingNode() && !every.isBoolean()) {
            problem(where + ".every", "expected true or false");
        }
        return path == null ? null : new Acceptor.Condition(path, Set.copyOf(equals), missing.asBoolean(false),
                not.asBoolean(false), matches, type, every.asBoolean(false));
    }

    private ResultMapping result(JsonNode node, String where) {
        if (node.isMissingNode()) {
            return ResultMapping.NONE;
        }
        if (!object(node, where, Set.of("files", "extras", "finishedAt"))) {
            return ResultMapping.NONE;
        }
        ResultMapping.Files files = null;
        JsonNode filesNode = node.path("files");
        String at = where + ".files";
        if (!filesNode.isMissingNode() && object(filesNode, at,
                Set.of("each", "url", "name", "contentType", "size", "width", "height", "expiresAt"))) {
            String each = text(filesNode, "each", at + ".each", false);
            files = new ResultMapping.Files(each == null ? null : jsonPath(each, at + ".each"),
                    value(filesNode, "url", Value.Type.TEXT, true, at),
                    value(filesNode, "name", Value.Type.TEXT, false, at),
                    value(filesNode, "contentType", Value.Type.TEXT, false, at),
                    value(filesNode, "size", Value.Type.INTEGER, false, at),
                    value(filesNode, "width", Value.Type.INTEGER, false, at),
                    value(filesNode, "height", Value.Type.INTEGER, false, at),
                    value(filesNode, "expiresAt", Value.Type.TEXT, false, at));
        }
        Map<String, Value> extras = new LinkedHashMap<>();
        JsonNode extrasNode = node.path("extras");
        if (!extrasNode.isMissingNode() && object(extrasNode, where + ".extras", null)) {
            extrasNode.fields().forEachRemaining(extra -> {
                if (extra.getKey().equals("files")) {
                    problem(where + ".extras.files", "files is the mapped files' name: give the extra another");
                } else {
                    Value value = extra(extra.getValue(), where + ".extras." + extra.getKey());
                    if (value != null) {
                        extras.put(extra.getKey(), value);
                    }
                }
            });
        }
        Value finishedAt = node.has("finishedAt") ? value(node, "finishedAt", Value.Type.TEXT, false, where) : null;
        return new ResultMapping(files, extras, finishedAt);
    }

    /**
     * An extra: a JSONPath (or a list, the first with a value winning), {@code {path, type}}, or
     * {@code {object: {<name>: <extra>...}}}.
     */
    private Value extra(JsonNode spec, String where) {
        if (spec.isTextual() || spec.isArray()) {
            return value(spec, Value.Type.ANY, where);
        }
        if (!object(spec, where, Set.of("path", "type", "object", "default", "holds"))) {
            return null;
        }
        Value value;
        if (spec.has("holds")) {
            // true or false as the conditions hold on the reply, as a rule's match would
            List<Acceptor.Condition> conditions = conditions(spec.path("holds"), where + ".holds", true);
            value = document -> com.fasterxml.jackson.databind.node.BooleanNode.valueOf(
                    conditions.stream().allMatch(condition -> condition.holds(document, null)));
        } else if (spec.has("object")) {
            Map<String, Value> fields = new LinkedHashMap<>();
            JsonNode object = spec.path("object");
            if (object(object, where + ".object", null)) {
                object.fields().forEachRemaining(field -> {
                    Value fieldValue = extra(field.getValue(), where + ".object." + field.getKey());
                    if (fieldValue != null) {
                        fields.put(field.getKey(), fieldValue);
                    }
                });
            }
            value = Value.object(fields);
        } else {
            String typeText = text(spec, "type", where + ".type", false);
            Value.Type type = Value.Type.ANY;
            try {
                type = typeText == null ? type : Value.Type.valueOf(typeText.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException unknown) {
                problem(where + ".type", "'" + typeText + "': expected one of any, text, integer, number, boolean,"
                        + " epoch-seconds");
            }
            if (!spec.has("path")) {
                problem(where + ".path", "missing");
                return null;
            }
            value = value(spec.path("path"), type, where + ".path");
        }
        JsonNode fallback = spec.get("default");
        if (fallback != null && value != null) {
            // e.g. [] for a list the provider leaves out when it is empty
            Value read = value;
            value = document -> {
                JsonNode found = read.read(document);
                return found != null ? found : fallback.deepCopy();
            };
        }
        return value;
    }

    private Value value(JsonNode parent, String field, Value.Type type, boolean required, String where) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                problem(where + "." + field, "missing");
            }
            return null;
        }
        return value(node, type, where + "." + field);
    }

    /** A text, or a list of texts (JSONPaths tried in order). */
    private Value value(JsonNode node, Value.Type type, String where) {
        List<String> sources = new ArrayList<>();
        (node.isArray() ? node : List.of(node)).forEach(each -> sources.add(each.isValueNode() ? each.asText() : null));
        if (sources.isEmpty() || sources.contains(null)) {
            problem(where, "expected a JSONPath, a list of them, or a constant text");
            return null;
        }
        try {
            return Value.of(sources, type);
        } catch (IllegalArgumentException invalid) {
            problem(where, invalid.getMessage());
            return null;
        }
    }

    private MessageTemplates messages(JsonNode parent, String field, String where) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode()) {
            return MessageTemplates.NONE;
        }
        List<String> templates = new ArrayList<>();
        (node.isArray() ? node : List.of(node)).forEach(each -> {
            if (!each.isTextual()) {
                problem(where, "expected a message or a list of messages");
            } else {
                templates.add(each.asText());
            }
        });
        try {
            return MessageTemplates.compile(templates);
        } catch (IllegalArgumentException invalid) {
            problem(where, invalid.getMessage());
            return MessageTemplates.NONE;
        }
    }

    private com.jayway.jsonpath.JsonPath jsonPath(String expression, String where) {
        if (expression == null) {
            return null;
        }
        try {
            return JsonPaths.compile(expression);
        } catch (IllegalArgumentException invalid) {
            problem(where, invalid.getMessage());
            return null;
        }
    }

    private Pattern pattern(String regex, String where) {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException invalid) {
            problem(where, "'" + regex + "' is not a regular expression: " + invalid.getDescription());
            return null;
        }
    }

    /** Whether the node is an object; with {@code known}, every field of it must be one of them (typos are caught). */
    private boolean object(JsonNode node, String where, Set<String> known) {
        if (node.isMissingNode()) {
            problem(where, "missing");
            return false;
        }
        if (!node.isObject()) {
            problem(where, "expected a mapping");
            return false;
        }
        if (known != null) {
            node.fieldNames().forEachRemaining(field -> {
                if (!known.contains(field)) {
                    problem(where.equals("(file)") ? field : where + "." + field,
                            "not a field of this definition (expected one of " + new java.util.TreeSet<>(known) + ")");
                }
            });
        }
        return true;
    }

    private String text(JsonNode parent, String field, String where, boolean required) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                problem(where, "missing");
            }
            return null;
        }
        if (!node.isValueNode()) {
            problem(where, "expected a text");
            return null;
        }
        return node.asText();
    }

    private void problem(String where, String what) {
        problems.add(source + ": " + where + ": " + what);
    }
}
