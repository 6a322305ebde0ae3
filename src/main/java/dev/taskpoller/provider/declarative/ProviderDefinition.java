package dev.taskpoller.provider.declarative;

import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.Push;
import dev.taskpoller.provider.TaskIdFormat;
import java.util.List;
import java.util.Map;

/**
 * A provider's status API as its YAML definition describes it (see {@link DefinitionReader} for the format and
 * README "Adding a provider"). Where to call it (and with which key) is its configuration's; how fast and how long is
 * its {@code defaults}, unless its configuration overrides them.
 *
 * @param source       the file or class-path resource it was read from, for messages
 * @param parameters   every parameter but {@code taskId}, with its value (its default)
 * @param path         the status call's path after the base URL, with {@code {parameter}} segments
 * @param authHeader   the header that carries the API key (from {@code taskpoller.provider.<name>.api-key}), or null
 * @param authScheme   written before the key with a space ({@code Bearer}), or null
 * @param body         the request body with {@code {parameter}} placeholders inside JSON strings, or null
 * @param batch        the provider's batch status call, or null when it has none (one task per call)
 * @param errorMessage the provider's message in a reply that is not a 2xx
 * @param notJson      the message of a 2xx reply that is not a JSON object
 * @param simulator    {@code spec.simulator}: an example {@code taskId} and the generic simulator's reply per phase
 *                     ({@code running}, {@code completed}, {@code failed}); empty if the file has none
 * @param defaults     the provider's own value of a {@code taskpoller.provider.<name>.*} key ({@code deadline} →
 *                     {@code 6h}), from {@code spec.definition.properties} ({@code deadline: {default: 6h}})
 * @param push         how the provider pushes a task's end ({@code spec.push}), or null when it does not
 * @param javaAdapter  {@code spec.adapter}: the Java class that makes the calls and reads the answers, for an API the
 *                     format cannot express (the status call, rules and result are then left out), or null
 */
public record ProviderDefinition(String name, String source, TaskIdFormat taskIds, Map<String, String> parameters,
                                 String method, String path, Map<String, String> headers, String authHeader,
                                 String authScheme, String body, BatchCall batch, MessageTemplates errorMessage,
                                 MessageTemplates notJson,
                                 List<Acceptor> acceptors, ResultMapping result,
                                 Map<String, String> simulator, Map<String, String> defaults, Push push,
                                 Class<? extends ProviderAdapter> javaAdapter) {
}
