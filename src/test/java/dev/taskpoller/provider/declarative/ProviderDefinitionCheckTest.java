package dev.taskpoller.provider.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskpoller.config.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A definition is checked when it is read: every problem reported at once, each naming the file and the field. */
public class ProviderDefinitionCheckTest {

    public static final String VALID = """
            apiVersion: taskpoller.dev/v1
            kind: Provider
            metadata:
              name: acme-render
            spec:
              definition:
                title: Acme render
                required: [taskId]
                properties:
                  taskId:
                    title: Task id
                    description: an Acme render id is 'r_' and 8 digits
                    type: string
                    pattern: 'r_[0-9]{8}'
                  version:
                    title: API version
                    type: string
                    default: v2
                    pattern: 'v[0-9]+'
              statusCall:
                method: GET
                path: /{version}/renders/{taskId}
                auth: {header: Authorization, scheme: Bearer}
              acceptors:
                - status: 200
                  match: [{path: $.state, equals: [queued, rendering]}]
                  state: running
                - status: 200
                  match: [{path: $.state, equals: done}]
                  state: completed
              result:
                files: {url: $.output.url, size: $.output.bytes}
            """;

    private static List<String> problems(String yaml) {
        return assertThrows(InvalidConfigurationException.class,
                () -> DefinitionReader.read("config/providers/acme-render.yaml", "acme-render.yaml", yaml)).problems();
    }

    @Test
    void aValidDefinitionIsReadWithItsParametersDefaultsAndRules() {
        ProviderDefinition definition = DefinitionReader.read("f", "acme-render.yaml", VALID);

        assertEquals("acme-render", definition.name());
        assertEquals("v2", definition.parameters().get("version"));
        assertEquals(2, definition.acceptors().size());
        assertEquals(java.util.Optional.of("an Acme render id is 'r_' and 8 digits"), definition.taskIds().check("r_1"));
    }

    @Test
    void aWrongStateAnUnknownFieldAndABadJsonPathAreReportedTogetherNamingFileAndField() {
        String yaml = VALID.replace("state: running", "state: busy")
                .replace("title: Acme render", "title: Acme render\n    colour: blue")
                .replace("$.output.url", "'$.output..'");

        assertEquals(List.of(
                "config/providers/acme-render.yaml: spec.definition.colour: not a field of this definition (expected one of"
                        + " [description, properties, required, title, type])",
                "config/providers/acme-render.yaml: spec.acceptors[0].state: 'busy': expected one of [running, completed,"
                        + " failed, retry]"),
                problems(yaml).subList(0, 2));
        assertEquals(true, problems(yaml).get(2).startsWith(
                "config/providers/acme-render.yaml: spec.result.files.url: '$.output..' is not a valid JSONPath"));
    }

    @Test
    void theTaskIdMustBeAWholePathSegmentSoThatItCannotReachAnotherRoute() {
        assertEquals(List.of("config/providers/acme-render.yaml: spec.statusCall.path: {taskId} must be a whole path"
                        + " segment of its own (it is URL-encoded into it)"),
                problems(VALID.replace("/renders/{taskId}", "/renders/id-{taskId}")));
    }

    @Test
    void aTemplateMayNameOnlyTheDefinitionsParameters() {
        assertEquals(List.of("config/providers/acme-render.yaml: spec.statusCall.path: {region} is not a parameter of"
                        + " spec.definition"),
                problems(VALID.replace("/{version}/", "/{region}/{version}/")));
    }

    @Test
    void aDefaultMustMatchItsParametersPattern() {
        assertEquals(List.of("config/providers/acme-render.yaml: spec.definition.properties.version.default: 'latest':"
                        + " does not match its pattern v[0-9]+"),
                problems(VALID.replace("default: v2", "default: latest")));
    }

    @Test
    void theTaskIdNeedsItsPatternAndACredentialIsNeverAParameter() {
        String yaml = VALID.replace("    pattern: 'r_[0-9]{8}'\n", "\n")
                .replace("  version:", "  apiKey:\n        title: key\n        type: string\n        default: s3cr3t\n      version:");

        assertEquals(List.of(
                "config/providers/acme-render.yaml: spec.definition.properties.taskId.pattern: missing: the task ids this"
                        + " provider accepts (checked before any call)",
                "config/providers/acme-render.yaml: spec.definition.properties.apiKey.default: a credential never lives"
                        + " in a definition: the status call's auth header takes taskpoller.provider.<name>.api-key (a"
                        + " property or an environment variable)",
                "config/providers/acme-render.yaml: spec.definition.properties.apiKey.format: missing: password: the key"
                        + " is declared as a credential, its value given by the configuration alone"),
                problems(yaml));
    }

    @Test
    void aTunablesDefaultIsTheProvidersOwnValueOfItsKey() {
        String yaml = VALID.replace("  version:", "  maxConcurrent: {default: 1}\n      deadline: {default: 6h}\n"
                + "      rateLimit: {default: '2/1s, 1000/1d'}\n      version:");

        assertEquals(Map.of("max-concurrent", "1", "deadline", "6h", "rate-limit", "2/1s, 1000/1d"),
                DefinitionReader.read("f", "acme-render.yaml", yaml).defaults());
        assertEquals(Map.of(), DefinitionReader.read("f", "acme-render.yaml", VALID).defaults());
    }

    @Test
    void aTunableWithoutADefaultOrWithOneItsKeyRefusesIsNamed() {
        String yaml = VALID.replace("  version:", "  deadline: {default: soon}\n      interval: {title: Poll interval}\n"
                + "      maxConcurrent: {default: 0}\n      version:");

        assertEquals(List.of(
                "config/providers/acme-render.yaml: spec.definition.properties.deadline.default: 'soon': expected a"
                        + " duration above zero such as 250ms, 5s, 2m, 6h or 1h30m",
                "config/providers/acme-render.yaml: spec.definition.properties.interval.default: missing: the"
                        + " provider's own interval (without one, leave the property out and taskpoller.poll.interval"
                        + " applies)",
                "config/providers/acme-render.yaml: spec.definition.properties.maxConcurrent.default: '0': expected a"
                        + " whole number, 1 or more"),
                problems(yaml));
    }

    @Test
    void theKeyIsDeclaredAsAPasswordWithoutAValueAndAnExampleIdMustBeOneTheProviderAccepts() {
        String declared = "  apiKey:\n        title: API key\n        type: string\n        format: password\n      version:";
        String yaml = VALID.replace("  version:", declared).replace("pattern: 'r_[0-9]{8}'",
                "pattern: 'r_[0-9]{8}'\n        example: r_12345678");
        assertEquals(Map.of("version", "v2", "taskId", ""), DefinitionReader.read("f", "acme-render.yaml", yaml).parameters());

        // the shape's problems (the schema's) come first, then what only the reader can check
        assertEquals(List.of(
                "config/providers/acme-render.yaml: spec.definition.properties.apiKey.default: a credential never lives"
                        + " in a definition: the status call's auth header takes taskpoller.provider.<name>.api-key (a"
                        + " property or an environment variable)",
                "config/providers/acme-render.yaml: spec.definition.properties.taskId.example: 'r_1': does not match its"
                        + " pattern r_[0-9]{8}"),
                problems(yaml.replace("example: r_12345678", "example: r_1").replace("format: password",
                        "format: password\n        default: s3cr3t")));
    }

    @Test
    void aPushNamesHowItIsVerifiedAndWhereItsTaskIs() {
        String yaml = VALID.replace("  result:", "  push:\n    verify: hmac\n    task: data\n    ends: {path: $.type}\n  result:");

        assertEquals(List.of(
                "config/providers/acme-render.yaml: spec.push.verify: 'hmac': expected one of [standard-webhooks, token]",
                "config/providers/acme-render.yaml: spec.push.ends: expected a list of conditions",
                "config/providers/acme-render.yaml: spec.push.task: 'data': expected a JSONPath, starting with $"),
                problems(yaml));
    }

    @Test
    void whatOnlyAnInstallationGivesIsNeverADefinitionsParameter() {
        String yaml = VALID.replace("  version:", "  webhookSecret: {title: secret, type: string, default: whsec_x}\n"
                + "      baseUrl: {title: where, type: string, default: 'https://acme.example'}\n      version:");

        assertEquals(List.of(
                "config/providers/acme-render.yaml: spec.definition.properties.webhookSecret: the installation's, never a"
                        + " definition's: set taskpoller.provider.<name>.webhook-secret (a property or an environment variable)",
                "config/providers/acme-render.yaml: spec.definition.properties.baseUrl: the installation's, never a"
                        + " definition's: set taskpoller.provider.<name>.base-url (a property or an environment variable)"),
                problems(yaml));
    }

    @Test
    void aRuleCannotCompleteATaskOnAnErrorReply() {
        assertEquals(List.of("config/providers/acme-render.yaml: spec.acceptors[1].status: a completed rule matches 2xx"
                        + " replies only"),
                problems(VALID.replace("- status: 200\n      match: [{path: $.state, equals: done}]",
                        "- status: [200, 404]\n      match: [{path: $.state, equals: done}]")));
    }

    @Test
    void theNameIsTheFilesOwn() {
        assertEquals(List.of("config/providers/acme-render.yaml: metadata.name: 'acme': expected the file's own name,"
                        + " acme-render.yaml"),
                problems(VALID.replace("name: acme-render", "name: acme")));
    }

    @Test
    void aFileThatIsNotYamlSaysSo() {
        List<String> problems = problems("spec: [unclosed");

        assertEquals(1, problems.size());
        assertEquals(true, problems.get(0).startsWith("config/providers/acme-render.yaml: (file): not readable as YAML"),
                problems.get(0));
    }
}
