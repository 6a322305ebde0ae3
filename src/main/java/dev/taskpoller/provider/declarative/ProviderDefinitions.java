package dev.taskpoller.provider.declarative;

import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.provider.ProviderAdapter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * The providers defined by YAML alone: every {@code <name>.yaml} under {@code taskpoller-defaults/providers/} on the
 * class path (config/providers/ of this project, packaged with the jar; a host's own jar may add its own there).
 * Each is read and checked once, at start-up; all problems of all files are reported together.
 */
public final class ProviderDefinitions {

    public static final String LOCATION = "classpath:taskpoller-defaults/providers/*.yaml";

    private ProviderDefinitions() {
    }

    public static List<ProviderAdapter> load(CamelContext context) {
        Map<String, ProviderAdapter> adapters = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        try {
            for (Resource resource : PluginHelper.getPackageScanResourceResolver(context).findResources(LOCATION)) {
                String location = resource.getLocation();
                String fileName = location.substring(location.lastIndexOf('/') + 1);
                try (InputStream in = resource.getInputStream()) {
                    ProviderDefinition definition = DefinitionReader.read(location, fileName,
                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    adapters.putIfAbsent(definition.name(), new DeclarativeAdapter(definition));
                } catch (InvalidConfigurationException invalid) {
                    problems.addAll(invalid.problems());
                }
            }
        } catch (Exception unreadable) {
            problems.add(LOCATION + ": cannot be read: " + unreadable.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return List.copyOf(adapters.values());
    }
}
