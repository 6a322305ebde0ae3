package dev.taskpoller;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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

    @Test
    void theSimulatorsStandInForProvidersAndKnowNothingOfTheEngine() {
        noClasses().that().resideInAPackage("dev.taskpoller.sim..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.taskpoller", "dev.taskpoller.engine..", "dev.taskpoller.ingest..",
                        "dev.taskpoller.kafka..", "dev.taskpoller.webhook..", "dev.taskpoller.health..",
                        "dev.taskpoller.observe..", "dev.taskpoller.demo..")
                .check(MAIN);
    }
}
