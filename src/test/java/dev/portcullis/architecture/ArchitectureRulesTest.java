package dev.portcullis.architecture;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each architecture rule fails on a tree that breaks it ({@code architecture.broken}: a token that
 * knows a page and a session, a session that issues tokens, a user that asks the mechanism, an
 * audit log that calls a feature, configuration that uses a filter), naming the offending
 * dependency; so {@link ArchitectureTest} passing means something.
 */
class ArchitectureRulesTest {

  private static final String BROKEN = "dev.portcullis.architecture.broken";

  private static JavaClasses broken;

  @BeforeAll
  static void importTheBrokenTree() {
    broken = new ClassFileImporter().importPackages(BROKEN);
  }

  @Test
  void aCycleBetweenPackagesFails() {
    assertFails(ArchitectureRules.noCycles(BROKEN), "Cycle detected", "BrowserSession");
  }

  @Test
  void aLowerLayerUsingAHigherOneFails() {
    assertFails(
        ArchitectureRules.layers(BROKEN),
        "Account.owner()",
        "Mechanism.currentUser()",
        "AuditTrail.record");
  }

  @Test
  void aTokenThatKnowsAPageFails() {
    assertFails(ArchitectureRules.tokenCoreKnowsNoPage(BROKEN), "TokenIssuer", "LoginPage");
  }

  @Test
  void aCredentialKindImportingAnotherFails() {
    assertFails(
        ArchitectureRules.credentialKindsAreLeaves(BROKEN),
        "TokenIssuer.issue",
        "BrowserSession.token()");
  }

  @Test
  void theDomainImportingTheMechanismFails() {
    assertFails(
        ArchitectureRules.domainNeverImportsTheMechanism(BROKEN), "Account.owner()", "Mechanism");
  }

  @Test
  void anAuditLogCallingAFeatureFails() {
    assertFails(ArchitectureRules.auditIsASink(BROKEN), "AuditTrail.record", "Account");
  }

  @Test
  void configurationDependingOnAnotherPackageFails() {
    assertFails(
        ArchitectureRules.configDependsOnNothing(BROKEN), "Setting.value()", "RequestFilter");
  }

  @Test
  void theRulesAcceptATreeWithoutTheBrokenClasses() {
    var clean =
        new ClassFileImporter()
            .importPackages(BROKEN + ".login", BROKEN + ".authentication", BROKEN + ".web");
    for (ArchRule rule : ArchitectureRules.all(BROKEN)) {
      assertThatCode(() -> rule.check(clean)).as(rule.getDescription()).doesNotThrowAnyException();
    }
  }

  private static void assertFails(ArchRule rule, String... offenders) {
    assertThatThrownBy(() -> rule.check(broken))
        .isInstanceOf(AssertionError.class)
        .hasMessageContainingAll(offenders);
  }
}
