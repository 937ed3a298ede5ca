package dev.portcullis.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.portcullis.authentication.PortcullisAuthenticationMechanism;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production classes keep {@link ArchitectureRules}: no package cycle, the layers, and the
 * rules between credential kinds, the mechanism, audit and config. A failure names every offending
 * dependency (class, member and line); mend the dependency, never the rule.
 */
class ArchitectureTest {

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portcullis");
    assertThat(production.contain(PortcullisAuthenticationMechanism.class))
        .as("the production classes were imported")
        .isTrue();
  }

  @Test
  void packagesFormNoCycle() {
    ArchitectureRules.noCycles("dev.portcullis").check(production);
  }

  @Test
  void eachLayerUsesOnlyItselfAndTheLayersBelow() {
    ArchitectureRules.layers("dev.portcullis").check(production);
  }

  @Test
  void theTokenCoreKnowsNoPage() {
    ArchitectureRules.tokenCoreKnowsNoPage("dev.portcullis").check(production);
  }

  @Test
  void credentialKindsNeverImportEachOther() {
    ArchitectureRules.credentialKindsAreLeaves("dev.portcullis").check(production);
  }

  @Test
  void theDomainNeverImportsTheMechanism() {
    ArchitectureRules.domainNeverImportsTheMechanism("dev.portcullis").check(production);
  }

  @Test
  void auditIsASink() {
    ArchitectureRules.auditIsASink("dev.portcullis").check(production);
  }

  @Test
  void configDependsOnNothing() {
    ArchitectureRules.configDependsOnNothing("dev.portcullis").check(production);
  }
}
