package dev.taskpoller.provider.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.jayway.jsonpath.JsonPath;
import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.config.ProviderSetting;
import dev.taskpoller.config.Settings;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.Push;
import dev.taskpoller.provider.TaskError;
import dev.taskpoller.provider.TaskIdFormat;
import dev.taskpoller.provider.declarative.DefinitionFile.Condition;
import dev.taskpoller.provider.declarative.DefinitionFile.Extra;
import dev.taskpoller.provider.declarative.DefinitionFile.Property;
import dev.taskpoller.provider.declarative.DefinitionFile.Rule;
import dev.taskpoller.provider.declarative.DefinitionFile.Spec;
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
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads and checks one provider definition, a Kamelet-like YAML file: {@code metadata.name}, the parameters in
 * {@code spec.definition} (JSON-schema style: title, description, type, default, pattern, and a {@code required}
 * list; {@code taskId} is the task id, its pattern the ids accepted, its description the rejection's sentence),
 * {@code spec.statusCall}, {@code spec.errorMessage}, {@code spec.notJson}, the ordered {@code spec.acceptors} and
 * {@code spec.result}.
 *
 * <p>Its shape is the JSON Schema's ({@link DefinitionSchema}), the file is then bound by Jackson
 * ({@link DefinitionFile}), and what a shape cannot say is checked here: a placeholder that is not a parameter, a
 * regular expression or JSONPath that does not compile, a default its key refuses, a rule that contradicts itself.
 * Every problem is reported together, each naming the file and the field; a field whose shape is wrong is named once,
 * for its shape.
 */
public final class DefinitionReader {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
    /** A definition names a per-provider key in camelCase: {@code maxConcurrent} is {@code max-concurrent}. */
    private static final PropertyNamingStrategies.KebabCaseStrategy KEBAB = new PropertyNamingStrategies.KebabCaseStrategy();
    private static final Map<String, ProviderSetting<?>> PER_PROVIDER = Settings.PER_PROVIDER.stream()
            .collect(Collectors.toUnmodifiableMap(ProviderSetting::key, setting -> setting));
    static final String TASK_ID = "taskId";
    /** The batch body's placeholder for the ids it asks about, as a JSON array. */
    static final String TASK_IDS = "taskIds";
    private static final String API_KEY = "apiKey";
    private static final Map<String, Push.Verification> VERIFICATIONS = Map.of(
            "standard-webhooks", Push.Verification.STANDARD_WEBHOOKS, "token", Push.Verification.TOKEN);
    private static final MessageTemplates NOT_JSON =
            MessageTemplates.compile(List.of("the provider answered something that is not a JSON object"));

    private final String source;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private List<DefinitionSchema.Problem> shape = List.of();

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
        JsonNode tree;
        try {
            tree = Json.MAPPER.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(yaml));
        } catch (RuntimeException notYaml) {
            problem(DefinitionSchema.Problem.FILE, "not readable as YAML: " + notYaml.getMessage());
            return null;
        }
        shape = DefinitionSchema.problems(tree);
        shape.forEach(problem -> problems.add(source + ": " + problem.field() + ": " + problem.what()));
        DefinitionFile file;
        try {
            file = DefinitionFile.bind(tree);
        } catch (IllegalArgumentException unbound) {
            // a shape the schema has named: the checks below need the file bound
            problem(DefinitionSchema.Problem.FILE, "not readable as a definition: " + unbound.getMessage());
            return null;
        }
        if (file == null || file.spec() == null || file.metadata() == null) {
            return null;
        }
        String name = file.metadata().name();
        if (name != null && !fileName.equals(name + ".yaml")) {
            problem("metadata.name", "'" + name + "': expected the file's own name, " + fileName);
        }
        Spec spec = file.spec();
        Map<String, String> parameters = new LinkedHashMap<>();
        TaskIdFormat taskIds = parameters(spec.definition(), parameters);
        Map<String, String> simulator = simulator(spec.simulator(), taskIds);
        Push push = push(spec.push());
        if (spec.adapter() != null) {
            return new ProviderDefinition(name, source, taskIds, Map.copyOf(parameters), null, null, Map.of(), null, null,
                    null, null, MessageTemplates.NONE, MessageTemplates.NONE, List.of(), ResultMapping.NONE,
                    simulator, Map.copyOf(defaults), push, javaAdapter(spec.adapter()));
        }
        var call = spec.statusCall();
        if (call == null) {
            return null;
        }
        String path = path(call.path(), parameters.keySet(), call.body() != null && call.body().contains("{" + TASK_ID + "}"));
        String body = body(call.body(), parameters.keySet());
        BatchCall batch = call.batch() == null ? null : batch(call.batch(), parameters.keySet(), call.method());
        if (batch != null && path != null && path.contains("{" + TASK_ID + "}")) {
            problem("spec.statusCall.path", "'" + path + "': a provider with a batch call names its ids in the bodies,"
                    + " not in the path");
        }
        var auth = call.auth();
        return new ProviderDefinition(name, source, taskIds, Map.copyOf(parameters), call.method(), path,
                call.headers() == null ? Map.of() : Map.copyOf(call.headers()),
                auth == null ? null : auth.header(), auth == null ? null : auth.scheme(), body, batch,
                messages(spec.errorMessage(), "spec.errorMessage"),
                spec.notJson() == null ? NOT_JSON : messages(spec.notJson(), "spec.notJson"),
                acceptors(spec.acceptors()), result(spec.result(), "spec.result"), simulator, Map.copyOf(defaults),
                push, null);
    }

    /**
     * The escape hatch, {@code spec.adapter}: a Java class (a {@link ProviderAdapter} with a public constructor without
     * arguments) makes the calls and reads the answers of an API this format cannot express; the definition still
     * gives the name, the task ids, the defaults, the credential and the push, and leaves out what the class does.
     */
    private Class<? extends ProviderAdapter> javaAdapter(String className) {
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
    private Push push(DefinitionFile.PushSpec push) {
        if (push == null) {
            return null;
        }
        List<Acceptor.Condition> ends = conditions(push.ends(), "spec.push.ends");
        JsonPath task = jsonPath(Objects.requireNonNullElse(push.task(), "$"), "spec.push.task");
        JsonPath taskId = jsonPath(Objects.requireNonNullElse(push.taskId(), "$.id"), "spec.push.taskId");
        Push.Verification verification = VERIFICATIONS.get(push.verify());
        return verification == null || task == null || taskId == null ? null
                : new Push(verification, new PushRule(ends, task, taskId)::read);
    }

    /** The optional replies of the generic simulator (demo and tests): an example task id and a body per phase. */
    private Map<String, String> simulator(Map<String, String> replies, TaskIdFormat taskIds) {
        if (replies == null) {
            return Map.of();
        }
        String example = replies.get(TASK_ID);
        if (example != null && taskIds != null && taskIds.check(example).isPresent()) {
            problem("spec.simulator.taskId", "'" + example + "': does not match the task id pattern");
        }
        Map<String, String> given = new LinkedHashMap<>(replies);
        given.values().removeIf(Objects::isNull);
        return Map.copyOf(given);
    }

    private TaskIdFormat parameters(DefinitionFile.Parameters definition, Map<String, String> values) {
        if (definition == null || definition.properties() == null) {
            return null;
        }
        Set<String> required = definition.required() == null ? Set.of() : new LinkedHashSet<>(definition.required());
        required.stream().filter(parameter -> !definition.properties().containsKey(parameter)).forEach(parameter ->
                problem("spec.definition.required", "'" + parameter + "' is not among the properties"));
        TaskIdFormat taskIds = null;
        for (Map.Entry<String, Property> entry : definition.properties().entrySet()) {
            String where = "spec.definition.properties." + entry.getKey();
            Property property = entry.getValue();
            if (property == null) {
                continue;
            }
            ProviderSetting<?> setting = entry.getKey().contains("-") ? null : PER_PROVIDER.get(KEBAB.translate(entry.getKey()));
            if (setting != null && Settings.TUNABLE.contains(setting)) {
                tunable(setting, property.fallback(), where);
                continue;
            }
            if (setting != null && setting != Settings.API_KEY) {
                // what only an installation gives: its address, switches and secrets
                problem(where, "the installation's, never a definition's: set taskpoller.provider.<name>."
                        + setting.key() + " (a property or an environment variable)");
                continue;
            }
            Pattern pattern = pattern(property.pattern(), where + ".pattern");
            if (entry.getKey().equals(TASK_ID)) {
                if (pattern != null) {
                    taskIds = new TaskIdFormat(pattern, property.description() != null ? property.description()
                            : "a task id of this provider matches " + pattern.pattern());
                }
                example(property.example(), pattern, where);
            } else if (entry.getKey().equals(API_KEY)) {
                // declared, as a Kamelet declares its credential: the value comes from the configuration alone
                continue;
            } else if (entry.getKey().toLowerCase(Locale.ROOT).contains("key")) {
                problem(where, "a credential never lives in a definition: the status call's auth header takes"
                        + " taskpoller.provider.<name>.api-key (a property or an environment variable)");
            } else {
                parameter(entry.getKey(), property, pattern, required, values, where);
            }
        }
        values.put(TASK_ID, "");
        return taskIds;
    }

    /** A parameter of the status call ({@code version: {default: v2}}): its value, checked against its type and pattern. */
    private void parameter(String name, Property property, Pattern pattern, Set<String> required,
                           Map<String, String> values, String where) {
        if (property.title() == null) {
            problem(where + ".title", "missing");
        }
        if (property.type() == null) {
            problem(where + ".type", "missing");
        }
        JsonNode value = property.fallback();
        if (value == null || !value.isValueNode()) {
            problem(where + ".default", required.contains(name) ? "missing: a required parameter needs a value"
                    : "missing: expected a value");
            return;
        }
        String type = property.type();
        if (("integer".equals(type) && !value.isIntegralNumber()) || ("number".equals(type) && !value.isNumber())
                || ("boolean".equals(type) && !value.isBoolean())) {
            problem(where + ".default", "'" + value.asText() + "': expected a value of type " + type);
        } else if (pattern != null && !pattern.matcher(value.asText()).matches()) {
            problem(where + ".default", "'" + value.asText() + "': does not match its pattern " + pattern.pattern());
        }
        values.put(name, value.asText());
    }

    /**
     * A setting's default for this provider ({@code maxConcurrent: {default: 1}}): checked as the setting's own value
     * would be, and given as {@code taskpoller.provider.<name>.<key>} wherever the configuration leaves that key unset.
     */
    private void tunable(ProviderSetting<?> setting, JsonNode value, String where) {
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
    private void example(JsonNode example, Pattern pattern, String where) {
        if (example != null && pattern != null && !pattern.matcher(example.asText()).matches()) {
            problem(where + ".example", "'" + example.asText() + "': does not match its pattern " + pattern.pattern());
        }
    }

    /** The path, each placeholder a whole segment of its own, so that an id can never reach another route. */
    private String path(String path, Set<String> parameters, boolean idInBody) {
        if (path == null) {
            return null;
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
        placeholders(body, parameters, "spec.statusCall.body");
        if (Json.parse(PLACEHOLDER.matcher(body).replaceAll("x")).isEmpty()) {
            problem("spec.statusCall.body", "not JSON (its placeholders belong inside JSON strings)");
        }
        return body;
    }

    private void placeholders(String template, Set<String> parameters, String where) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!parameters.contains(m.group(1))) {
                problem(where, "{" + m.group(1) + "} is not a parameter of spec.definition");
            }
        }
    }

    /**
     * The batch status call: its body ({@code {taskIds}} the ids as a JSON array), where the answer's items are and
     * which task each is, and what an id without its item means.
     */
    private BatchCall batch(DefinitionFile.Batch batch, Set<String> parameters, String method) {
        String where = "spec.statusCall.batch";
        if (!"POST".equals(method)) {
            problem(where, "a batch sends its ids in a body: expected spec.statusCall.method POST");
        }
        String body = batch.body();
        if (body != null) {
            Set<String> names = new LinkedHashSet<>(parameters);
            names.add(TASK_IDS);
            placeholders(body, names, where + ".body");
            String filled = PLACEHOLDER.matcher(body.replace("{" + TASK_IDS + "}", "[\"x\"]")).replaceAll("x");
            if (Json.parse(filled).isEmpty()) {
                problem(where + ".body", "not JSON ({taskIds} stands for an array; other placeholders belong inside"
                        + " JSON strings)");
            }
        }
        JsonPath items = jsonPath(batch.items(), where + ".items");
        JsonPath itemId = jsonPath(Objects.requireNonNullElse(batch.itemId(), "$.id"), where + ".itemId");
        JsonPath count = jsonPath(batch.count(), where + ".count");
        var missing = batch.missing();
        String missingReason = missing == null || missing.reason() == null ? TaskError.NOT_FOUND : missing.reason();
        MessageTemplates missingMessage = missing == null || missing.message() == null
                ? MessageTemplates.compile(List.of("not in the batch answer"))
                : messages(missing.message(), where + ".missing.message");
        MessageTemplates noItems = batch.noItems() == null
                ? MessageTemplates.compile(List.of("batch answer without its items"))
                : messages(batch.noItems(), where + ".noItems");
        MessageTemplates incomplete = batch.incomplete() == null
                ? MessageTemplates.compile(List.of("batch answer count {$.count} disagrees with its {size:$.items} items",
                        "batch answer count disagrees with its items"))
                : messages(batch.incomplete(), where + ".incomplete");
        return body == null || items == null || itemId == null || batch.maxSize() == null ? null
                : new BatchCall(batch.maxSize(), body, items, itemId, count, noItems, missingReason, missingMessage,
                        incomplete);
    }

    private List<Acceptor> acceptors(List<Rule> rules) {
        List<Acceptor> acceptors = new ArrayList<>();
        for (int i = 0; rules != null && i < rules.size(); i++) {
            String where = "spec.acceptors[" + i + "]";
            Rule rule = rules.get(i);
            if (rule == null) {
                continue;
            }
            List<String> statuses = rule.status() == null ? List.of() : List.copyOf(rule.status());
            List<Acceptor.Condition> conditions = conditions(rule.match(), where + ".match");
            if (rule.unwrap() != null) {
                acceptors.add(new Acceptor(statuses, conditions, null, null, MessageTemplates.NONE, null,
                        jsonPath(rule.unwrap(), where + ".unwrap")));
                continue;
            }
            Acceptor.State state = rule.state() == null ? null : switch (rule.state()) {
                case "running" -> Acceptor.State.RUNNING;
                case "completed" -> Acceptor.State.COMPLETED;
                case "failed" -> Acceptor.State.FAILED;
                case "retry" -> Acceptor.State.RETRY;
                default -> null; // named by the schema
            };
            if (state == Acceptor.State.COMPLETED && statuses.stream().anyMatch(s -> !s.startsWith("2"))) {
                problem(where + ".status", "a completed rule matches 2xx replies only");
            }
            if (rule.reason() != null && (state == Acceptor.State.RUNNING || state == Acceptor.State.COMPLETED)) {
                problem(where + ".reason", "only a failed or retry rule has a reason");
            }
            ResultMapping result = null;
            if (rule.result() != null) {
                if (state != Acceptor.State.COMPLETED && state != Acceptor.State.FAILED) {
                    problem(where + ".result", "only a completed or failed rule has a result");
                }
                result = result(rule.result(), where + ".result");
            }
            acceptors.add(new Acceptor(statuses, conditions, state, rule.reason(),
                    messages(rule.message(), where + ".message"), result, null));
        }
        return acceptors;
    }

    /** A list of conditions (a rule's match, a push's ends, a boolean extra's holds), each named by its index. */
    private List<Acceptor.Condition> conditions(List<Condition> list, String where) {
        List<Acceptor.Condition> conditions = new ArrayList<>();
        for (int c = 0; list != null && c < list.size(); c++) {
            Acceptor.Condition condition = list.get(c) == null ? null : condition(list.get(c), where + "[" + c + "]");
            if (condition != null) {
                conditions.add(condition);
            }
        }
        return List.copyOf(conditions);
    }

    private Acceptor.Condition condition(Condition condition, String where) {
        JsonPath path = jsonPath(condition.path(), where + ".path");
        Set<String> equals = condition.values() == null ? Set.of() : Set.copyOf(condition.values());
        boolean missing = Boolean.TRUE.equals(condition.missing());
        if (missing && !equals.isEmpty()) {
            problem(where, "either equals or missing, not both");
        }
        Pattern matches = pattern(condition.matches(), where + ".matches");
        if (missing && (condition.matches() != null || condition.type() != null)) {
            problem(where, "missing stands alone: not with matches or type");
        }
        return path == null ? null : new Acceptor.Condition(path, equals, missing, Boolean.TRUE.equals(condition.not()),
                matches, condition.type(), Boolean.TRUE.equals(condition.every()));
    }

    private ResultMapping result(DefinitionFile.Result result, String where) {
        if (result == null) {
            return ResultMapping.NONE;
        }
        ResultMapping.Files files = null;
        var given = result.files();
        if (given != null) {
            String at = where + ".files";
            files = new ResultMapping.Files(given.each() == null ? null : jsonPath(given.each(), at + ".each"),
                    value(given.url(), Value.Type.TEXT, at + ".url"),
                    value(given.name(), Value.Type.TEXT, at + ".name"),
                    value(given.contentType(), Value.Type.TEXT, at + ".contentType"),
                    value(given.size(), Value.Type.INTEGER, at + ".size"),
                    value(given.width(), Value.Type.INTEGER, at + ".width"),
                    value(given.height(), Value.Type.INTEGER, at + ".height"),
                    value(given.expiresAt(), Value.Type.TEXT, at + ".expiresAt"));
        }
        return new ResultMapping(files, extras(result.extras(), where + ".extras"),
                value(result.finishedAt(), Value.Type.TEXT, where + ".finishedAt"));
    }

    private Map<String, Value> extras(Map<String, Extra> extras, String where) {
        Map<String, Value> values = new LinkedHashMap<>();
        if (extras != null) {
            extras.forEach((name, extra) -> {
                Value value = extra == null ? null : extra(extra, where + "." + name);
                if (value != null) {
                    values.put(name, value);
                }
            });
        }
        return values;
    }

    /** An extra, in whichever of its forms the file gives ({@link Extra}), with its default where it has one. */
    private Value extra(Extra extra, String where) {
        Value value;
        if (extra.holds() != null) {
            // true or false as the conditions hold on the reply, as a rule's match would
            List<Acceptor.Condition> conditions = conditions(extra.holds(), where + ".holds");
            value = document -> BooleanNode.valueOf(conditions.stream().allMatch(condition -> condition.holds(document, null)));
        } else if (extra.object() != null) {
            value = Value.object(extras(extra.object(), where + ".object"));
        } else if (extra.path() != null) {
            Value.Type type = extra.type() == null ? Value.Type.ANY
                    : Value.Type.valueOf(extra.type().toUpperCase(Locale.ROOT).replace('-', '_'));
            value = value(extra.path(), type, where);
        } else {
            return null; // named by the schema
        }
        JsonNode fallback = extra.fallback();
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

    /** JSONPaths tried in order (the first with a value winning), or a constant text; null when left out. */
    private Value value(List<String> sources, Value.Type type, String where) {
        if (sources == null) {
            return null;
        }
        try {
            return Value.of(sources, type);
        } catch (IllegalArgumentException invalid) {
            problem(where, invalid.getMessage());
            return null;
        }
    }

    private MessageTemplates messages(List<String> templates, String where) {
        if (templates == null) {
            return MessageTemplates.NONE;
        }
        try {
            return MessageTemplates.compile(templates);
        } catch (IllegalArgumentException invalid) {
            problem(where, invalid.getMessage());
            return MessageTemplates.NONE;
        }
    }

    private JsonPath jsonPath(String expression, String where) {
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

    /** A problem the schema has not already named at the field or around it. */
    private void problem(String where, String what) {
        if (shape.stream().noneMatch(problem -> problem.covers(where))) {
            problems.add(source + ": " + where + ": " + what);
        }
    }
}
