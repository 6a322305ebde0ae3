package dev.taskpoller;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The boundaries the jars draw (pom.xml: the library jar leaves out the simulators, the demo and the application's
 * entry), held by the code too: a library class that reached one of them would fail an embedder at run time.
 * {@code bench/package-cycles.sh} prints the package graph these rules keep acyclic.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.taskpoller");

    /** What only the runnable application jar holds. */
    private static final DescribedPredicate<JavaClass> APPLICATION_ONLY =
            resideInAnyPackage("dev.taskpoller.sim..", "dev.taskpoller.demo..")
                    .or(resideInAPackage("dev.taskpoller").and(simpleNameStartingWith("TaskpollerApplication")
                            .or(simpleNameStartingWith("TaskpollerCommand"))))
                    .as("the simulators, the demo or the application's entry");

    /** Every package is its own slice (a sub-package too: provider.declarative is not provider). */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "each package of dev.taskpoller";
        }
    };

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theLibraryNeverReachesTheSimulatorsTheDemoOrTheApplicationsEntry() {
        noClasses().that(not(APPLICATION_ONLY)).should().dependOnClassesThat(APPLICATION_ONLY).check(MAIN);
    }

    /** The YAML routes name beans by class ({@code ${bean:type:...}}, {@code beanType:}): a class moved must move there too. */
    @Test
    void everyClassTheRoutesNameIsOnTheClassPath() throws IOException {
        Pattern className = Pattern.compile("dev\\.taskpoller(\\.[a-z]+)+\\.[A-Z][A-Za-z0-9]*");
        List<String> missing = new ArrayList<>();
        int named = 0;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(each -> each.toString().endsWith(".yaml")).sorted().toList()) {
                Matcher m = className.matcher(Files.readString(file));
                while (m.find()) {
                    named++;
                    try {
                        Class.forName(m.group(), false, ArchitectureTest.class.getClassLoader());
                    } catch (ClassNotFoundException e) {
                        missing.add(file + ": " + m.group());
                    }
                }
            }
        }
        assertTrue(named > 0, "the routes name bean classes");
        assertEquals(List.of(), missing);
    }

    @Test
    void theSimulatorsStandInForProvidersAndKnowNothingOfTheEngine() {
        noClasses().that().resideInAPackage("dev.taskpoller.sim..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.taskpoller", "dev.taskpoller.engine..", "dev.taskpoller.ingest..",
                        "dev.taskpoller.kafka..", "dev.taskpoller.webhook..", "dev.taskpoller.health..",
                        "dev.taskpoller.observe..", "dev.taskpoller.demo..")
                .check(MAIN);
    }
}
