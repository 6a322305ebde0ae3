package dev.taskpoller.sim;

import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.declarative.ProviderDefinition;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulator of any provider defined by YAML, so that a new provider needs no simulator class: its method, path,
 * auth header and task ids come from the definition; what it answers in each phase of a task, and its error body, are
 * JSON templates a test (or the demo) gives, with {@code {taskId}}, {@code {message}} and {@code {status}} filled in as
 * JSON string contents. An id of the wrong shape is a 422, an unknown one a 404, a wrong key a 401.
 */
public final class DefinedSimulator extends ProviderSimulator {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    private final ProviderDefinition definition;
    private final Pattern path;
    private final Map<SimulatedTask.Phase, String> replies = new EnumMap<>(SimulatedTask.Phase.class);
    private volatile String errorBody = "{\"error\": \"{message}\", \"status\": {status}}";

    public DefinedSimulator(ProviderDefinition definition) {
        this.definition = definition;
        this.path = pathPattern(definition);
        // spec.simulator's replies, if the file has them; a test may still replace any of them
        definition.simulator().forEach((phase, template) -> {
            if (!phase.equals("taskId")) {
                replies.put(SimulatedTask.Phase.valueOf(phase.toUpperCase(java.util.Locale.ROOT)), template);
            }
        });
        replies.computeIfAbsent(SimulatedTask.Phase.QUEUED, queued -> replies.get(SimulatedTask.Phase.RUNNING));
    }

    /** Whether the definition gives a reply for every phase ({@code spec.simulator}), so it can run unattended. */
    public static boolean canSimulate(ProviderDefinition definition) {
        return definition.simulator().keySet().containsAll(java.util.List.of("taskId", "running", "completed", "failed"));
    }

    /**
     * An id like the definition's example ({@code spec.simulator.taskId}): its letters and digits from some position
     * on drawn at random (the same case, digits for digits), from the first position where the result still matches
     * the pattern (so a prefix such as {@code job_} stays); the example itself if none does.
     */
    @Override
    public String newTaskId(Random random) {
        String example = definition.simulator().get("taskId");
        if (example == null) {
            return super.newTaskId(random);
        }
        for (int from = 0; from < example.length(); from++) {
            for (int attempt = 0; attempt < 10; attempt++) {
                StringBuilder id = new StringBuilder(example.substring(0, from));
                example.substring(from).chars().forEach(c -> id.append(randomLike((char) c, random)));
                if (definition.taskIds().check(id.toString()).isEmpty()) {
                    return id.toString();
                }
            }
        }
        return example;
    }

    private static char randomLike(char c, Random random) {
        if (Character.isDigit(c)) {
            return (char) ('0' + random.nextInt(10));
        } else if (c >= 'a' && c <= 'z') {
            return (char) ('a' + random.nextInt(26));
        } else if (c >= 'A' && c <= 'Z') {
            return (char) ('A' + random.nextInt(26));
        }
        return c;
    }

    /** The body answered while a task is in this phase. */
    public DefinedSimulator reply(SimulatedTask.Phase phase, String template) {
        replies.put(phase, template);
        if (phase == SimulatedTask.Phase.RUNNING) {
            replies.putIfAbsent(SimulatedTask.Phase.QUEUED, template);
        }
        return this;
    }

    /** The body of every error answer ({@code {status}} is a number, so it goes outside quotes). */
    public DefinedSimulator errorBody(String template) {
        this.errorBody = template;
        return this;
    }

    private static Pattern pathPattern(ProviderDefinition definition) {
        String template = definition.path().contains("?")
                ? definition.path().substring(0, definition.path().indexOf('?')) : definition.path();
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        int from = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(from, m.start())));
            regex.append(m.group(1).equals("taskId") ? "(?<taskId>[^/]+)"
                    : Pattern.quote(definition.parameters().get(m.group(1))));
            from = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(template.substring(from))).toString());
    }

    @Override
    public String provider() {
        return definition.name();
    }

    @Override
    protected String credentialOf(SimRequest request) {
        String value = definition.authHeader() == null ? apiKey() : request.header(definition.authHeader().toLowerCase());
        String scheme = definition.authScheme() == null ? "" : definition.authScheme() + " ";
        return value != null && value.startsWith(scheme) ? value.substring(scheme.length()) : null;
    }

    @Override
    protected SimResponse answer(SimRequest request) {
        Matcher m = path.matcher(request.path());
        if (!definition.method().equals(request.method()) || !m.matches()) {
            return error(404, "no such route");
        }
        String id = m.group("taskId");
        if (definition.taskIds().check(id).isPresent()) {
            return error(422, "not a task id: " + id);
        }
        SimulatedTask task = task(id);
        if (task == null) {
            return error(404, "task " + id + " not found");
        }
        SimulatedTask.Phase phase = task.poll();
        String template = replies.get(phase);
        if (template == null) {
            throw new IllegalStateException("no reply given for phase " + phase);
        }
        return SimResponse.json(200, fill(template, id, task.failureMessage(), 200));
    }

    @Override
    protected SimResponse error(int status, String message) {
        return SimResponse.json(status, fill(errorBody, "", message, status));
    }

    private static String fill(String template, String taskId, String message, int status) {
        return template.replace("{taskId}", Json.inString(taskId))
                .replace("{message}", Json.inString(message == null ? "" : message))
                .replace("{status}", String.valueOf(status));
    }
}
