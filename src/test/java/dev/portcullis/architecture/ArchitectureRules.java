package dev.portcullis.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.Arrays;
import java.util.List;

/**
 * Portcullis' architecture as ArchUnit rules, for the packages under a root ({@code dev.portcullis}
 * in production, a deliberately broken tree in {@link ArchitectureRulesTest}). The README's package
 * diagram draws the same layers.
 *
 * <ul>
 *   <li><b>Foundation</b> — {@code config}, {@code logging}, {@code database}, {@code problem},
 *       {@code secret}, {@code caller} (the types every feature uses: caller, auth method,
 *       principal), {@code credential} (the reader SPI the mechanism consumes), {@code web}
 *       (filters and request facts).
 *   <li><b>Services</b> — {@code audit}, {@code cluster}, {@code ratelimit}.
 *   <li><b>Domain</b> — {@code user}.
 *   <li><b>Credential kinds</b> — {@code token}, {@code session}, {@code apikey}: leaves that never
 *       import each other.
 *   <li><b>Sign-in</b> — {@code signin}: what spans credential kinds; {@code upstream}: sign-in
 *       through upstream providers; {@code oauth}: the OAuth 2.0 authorization server and OpenID
 *       provider, which issues tokens for browser sessions.
 *   <li><b>Edge</b> — {@code authentication} (the mechanism), {@code login} (the pages' backing
 *       beans), {@code health}.
 *   <li><b>Root</b> — the root package: the JAX-RS applications and the server's life cycle.
 * </ul>
 *
 * A layer uses only its own and lower layers; no packages form a cycle.
 */
final class ArchitectureRules {

  static final List<String> CREDENTIAL_KINDS = List.of("token", "session", "apikey");

  private ArchitectureRules() {}

  /** Every rule below, for one root package. */
  static List<ArchRule> all(String root) {
    return List.of(
        noCycles(root),
        layers(root),
        tokenCoreKnowsNoPage(root),
        credentialKindsAreLeaves(root),
        domainNeverImportsTheMechanism(root),
        auditIsASink(root),
        configDependsOnNothing(root));
  }

  /** No two packages under {@code root} depend on each other, directly or through others. */
  static ArchRule noCycles(String root) {
    return slices().matching(root + ".(*)..").should().beFreeOfCycles();
  }

  /** Each layer uses only itself and the layers below it. */
  static ArchRule layers(String root) {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .withOptionalLayers(true)
        .layer("Root")
        .definedBy(root)
        .layer("Edge")
        .definedBy(in(root, "authentication", "login", "health"))
        .layer("Sign-in")
        .definedBy(in(root, "signin", "oauth", "upstream"))
        .layer("Credential kinds")
        .definedBy(in(root, "token", "session", "apikey"))
        .layer("Domain")
        .definedBy(in(root, "user"))
        .layer("Services")
        .definedBy(in(root, "audit", "cluster", "ratelimit"))
        .layer("Foundation")
        .definedBy(
            in(
                root,
                "config",
                "logging",
                "database",
                "problem",
                "secret",
                "caller",
                "credential",
                "web"))
        .whereLayer("Root")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Edge")
        .mayOnlyBeAccessedByLayers("Root")
        .whereLayer("Sign-in")
        .mayOnlyBeAccessedByLayers("Root", "Edge")
        .whereLayer("Credential kinds")
        .mayOnlyBeAccessedByLayers("Root", "Edge", "Sign-in")
        .whereLayer("Domain")
        .mayOnlyBeAccessedByLayers("Root", "Edge", "Sign-in", "Credential kinds")
        .whereLayer("Services")
        .mayOnlyBeAccessedByLayers("Root", "Edge", "Sign-in", "Credential kinds", "Domain");
  }

  /** The token core (issuing, verifying, keys) knows no page and no Faces. */
  static ArchRule tokenCoreKnowsNoPage(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".token..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(root + ".login..", "jakarta.faces..")
        .allowEmptyShould(true);
  }

  /** Tokens, browser sessions and API keys never import each other; {@code signin} joins them. */
  static ArchRule credentialKindsAreLeaves(String root) {
    CompositeArchRule rule = null;
    for (String kind : CREDENTIAL_KINDS) {
      var others =
          CREDENTIAL_KINDS.stream()
              .filter(other -> !other.equals(kind))
              .map(other -> root + "." + other + "..")
              .toArray(String[]::new);
      var one =
          noClasses()
              .that()
              .resideInAPackage(root + "." + kind + "..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(others)
              .allowEmptyShould(true);
      rule = rule == null ? CompositeArchRule.of(one) : rule.and(one);
    }
    return rule;
  }

  /**
   * Only the root package (which registers its endpoints) may use the mechanism's package; features
   * depend on the caller types ({@code caller}, {@code credential}) instead.
   */
  static ArchRule domainNeverImportsTheMechanism(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + "..")
        .and()
        .resideOutsideOfPackages(root, root + ".authentication..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(root + ".authentication..")
        .allowEmptyShould(true);
  }

  /** Everyone writes to the audit log; the audit log calls into no feature. */
  static ArchRule auditIsASink(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".audit..")
        .should()
        .onlyDependOnClassesThat(
            or(
                resideOutsideOfPackage(root + ".."),
                resideInAnyPackage(in(root, "audit", "web", "problem", "logging", "config"))))
        .allowEmptyShould(true);
  }

  /** Configuration is read by everyone and depends on no other package of the application. */
  static ArchRule configDependsOnNothing(String root) {
    return classes()
        .that()
        .resideInAPackage(root + ".config..")
        .should()
        .onlyDependOnClassesThat(
            or(resideOutsideOfPackage(root + ".."), resideInAPackage(root + ".config..")))
        .allowEmptyShould(true);
  }

  private static String[] in(String root, String... packages) {
    return Arrays.stream(packages).map(p -> root + "." + p + "..").toArray(String[]::new);
  }
}
