package dev.portcullis.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JIT directives in {@code payara/jvm.options} name Bouncy Castle's private Argon2 methods; a
 * directive whose method no longer exists is silently ignored (the options file also says {@code
 * CompileCommand=quiet}), and hashing would quietly become slower. This fails first, on the version
 * pinned in pom.xml.
 */
class JvmOptionsTest {

  private static final Pattern INLINE =
      Pattern.compile("^-XX:CompileCommand=inline,([\\w.$]+)::([\\w$]+)$");

  @Test
  void everyInlinedMethodExistsInTheBouncyCastleOnTheClasspath() throws Exception {
    var directives = inlineDirectives();
    assertThat(directives)
        .as("the Argon2 directives")
        .extracting(d -> d[1])
        .contains("quarterRound", "F", "roundFunction", "access$700");
    for (String[] directive : directives) {
      declared(Class.forName(directive[0]), directive[1]);
    }
  }

  @Test
  void theInlinedAccessorIsTheOneThatCallsTheRoundFunction() throws Exception {
    var generator = Class.forName("org.bouncycastle.crypto.generators.Argon2BytesGenerator");
    var round = declared(generator, "roundFunction");
    var accessor = declared(generator, "access$700");
    // a synthetic accessor has the signature of the private method it forwards to
    assertThat(accessor.isSynthetic()).isTrue();
    assertThat(accessor.getParameterTypes()).isEqualTo(round.getParameterTypes());
  }

  private static Method declared(Class<?> type, String name) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(type.getName() + " declares no " + name));
  }

  private static List<String[]> inlineDirectives() throws IOException {
    return Files.readAllLines(Path.of("payara", "jvm.options")).stream()
        .map(String::strip)
        .map(INLINE::matcher)
        .filter(Matcher::matches)
        .map(m -> new String[] {m.group(1), m.group(2)})
        .toList();
  }
}
