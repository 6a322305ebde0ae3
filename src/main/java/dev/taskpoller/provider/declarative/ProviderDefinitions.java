package dev.taskpoller.provider.declarative;

import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.provider.ProviderAdapter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * The providers defined by YAML alone: every {@code <name>.yaml} under {@code taskpoller-defaults/providers/} on the
 * class path (config/providers/ of this project, packaged with the jar; a host's own jar may add its own there), and
 * in the folder {@code taskpoller.provider-definitions}, whose file replaces a packaged one of the same name (so an
 * installation can correct a definition without a new jar). Each is read and checked once, at start-up; all problems
 * of all files are reported together.
 */
public final class ProviderDefinitions {

    public static final String LOCATION = "classpath:taskpoller-defaults/providers/*.yaml";

    private ProviderDefinitions() {
    }

    /** @param folder the folder of definitions of this installation, or null for the packaged ones alone */
    public static List<ProviderAdapter> load(CamelContext context, Path folder) {
        Map<String, ProviderAdapter> adapters = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        try {
            for (Resource resource : PluginHelper.getPackageScanResourceResolver(context).findResources(LOCATION)) {
                try (InputStream in = resource.getInputStream()) {
                    read(resource.getLocation(), new String(in.readAllBytes(), StandardCharsets.UTF_8), adapters, problems);
                }
            }
            if (folder != null && Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                        read(file.toString(), Files.readString(file), adapters, problems);
                    }
                }
            }
        } catch (Exception unreadable) {
            problems.add("provider definitions cannot be read: " + unreadable);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return List.copyOf(adapters.values());
    }

    private static void read(String location, String yaml, Map<String, ProviderAdapter> adapters, List<String> problems) {
        try {
            ProviderDefinition definition = DefinitionReader.read(location,
                    location.substring(location.replace('\\', '/').lastIndexOf('/') + 1), yaml);
            adapters.put(definition.name(), definition.javaAdapter() != null ? new DefinedJavaAdapter(definition)
                    : new DeclarativeAdapter(definition));
        } catch (InvalidConfigurationException invalid) {
            problems.addAll(invalid.problems());
        }
    }
}
