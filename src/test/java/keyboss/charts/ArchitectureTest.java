package keyboss.charts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packages are layers, lowest first; a class may use its own layer and those below it, never
 * one above, and no two packages depend on each other. The README's "Layout" section describes
 * each layer.
 */
class ArchitectureTest {

    /** The layers of the library, lowest first. */
    static final List<String> LAYERS = List.of("model", "network", "validation", "env", "core", "data", "app",
            "monitoring", "gitops", "shop", "cli");

    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("keyboss.charts");

    /** {@code layers} of {@code root}, lowest first, where each may be used only by the layers above it. */
    static ArchRule layered(String root, List<String> layers) {
        Architectures.LayeredArchitecture rule = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : layers) {
            rule = rule.layer(layer).definedBy(root + "." + layer + "..");
        }
        for (int i = 0; i < layers.size() - 1; i++) {
            rule = rule.whereLayer(layers.get(i)).mayOnlyBeAccessedByLayers(
                    layers.subList(i + 1, layers.size()).toArray(String[]::new));
        }
        return rule.whereLayer(layers.get(layers.size() - 1)).mayNotBeAccessedByAnyLayer();
    }

    static ArchRule acyclic(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    @Test
    void noLayerUsesALayerAboveIt() {
        layered("keyboss.charts", LAYERS).check(LIBRARY);
    }

    @Test
    void noPackageCycle() {
        acyclic("keyboss.charts").check(LIBRARY);
    }

    @Test
    void everyClassLivesInALayer() {
        String[] packages = LAYERS.stream().map(l -> "keyboss.charts." + l + "..").toArray(String[]::new);
        classes().should().resideInAnyPackage(packages).check(LIBRARY);
        List<String> found = new ArrayList<>();
        LIBRARY.forEach(c -> {
            String rest = c.getPackageName().substring("keyboss.charts".length());
            found.add(rest.isEmpty() ? "" : rest.substring(1).split("\\.")[0]);
        });
        assertEquals(LAYERS.stream().sorted().toList(), found.stream().distinct().sorted().toList(),
                "every layer holds classes, and no package is outside the list; update LAYERS and the README together");
    }

    /** The lowest layer is plain Java: manifests, names, sizes and problems read and checked without cdk8s or jsii. */
    @Test
    void theModelNeedsNoCdk8s() {
        noClasses().that().resideInAPackage("keyboss.charts.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.cdk8s..", "software.constructs..", "software.amazon.jsii..", "imports..")
                .check(LIBRARY);
    }

    /** The rules above refuse a lower package importing a higher one, and the cycle that makes. */
    @Test
    void theRulesCatchAnUpwardImportAndACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("keyboss.charts.archfixture");
        EvaluationResult upward = layered("keyboss.charts.archfixture", List.of("low", "high")).evaluate(fixture);
        assertTrue(upward.hasViolation(), "an import from low to high must be refused");
        assertTrue(upward.getFailureReport().getDetails().stream().anyMatch(d -> d.contains("Low") && d.contains("High")),
                upward.getFailureReport().toString());
        assertTrue(acyclic("keyboss.charts.archfixture").evaluate(fixture).hasViolation(), "low <-> high is a cycle");
        assertFalse(upward.getFailureReport().getDetails().stream()
                        .anyMatch(d -> d.startsWith("Method <keyboss.charts.archfixture.high.High.name()>")),
                "high using low is downward and allowed: " + upward.getFailureReport());
    }
}
