package dev.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.caller.AuthMethod;
import dev.portcullis.caller.Caller;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

  private static final int LIMIT = 100;

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedUnread() throws Exception {
    var request = new FakeRequest("HTTP/1.1", 101, "{}");
    assertThat(RequestBodies.judge(request.proxy(), LIMIT))
        .isEqualTo(new RequestBodies.Verdict.Refuse(RequestBodies.TOO_LARGE));
    assertThat(request.bytesRead.get()).isZero();
  }

  @Test
  void anHttp11BodyWithinItsDeclaredLengthIsLeftToTheContainer() throws Exception {
    var request = new FakeRequest("HTTP/1.1", 2, "{}");
    var verdict = RequestBodies.judge(request.proxy(), LIMIT);
    assertThat(verdict).isInstanceOf(RequestBodies.Verdict.Pass.class);
    assertThat(((RequestBodies.Verdict.Pass) verdict).request()).isSameAs(request.proxy());
    assertThat(request.bytesRead.get()).isZero();
  }

  @Test
  void anHttp2BodyWithoutLengthIsCountedOnTheStream() throws Exception {
    var big = new FakeRequest("HTTP/2.0", -1, "x".repeat(5_000));
    assertThat(RequestBodies.judge(big.proxy(), LIMIT))
        .isEqualTo(new RequestBodies.Verdict.Refuse(RequestBodies.TOO_LARGE));
    assertThat(big.bytesRead.get()).as("reads one byte past the limit, no more").isEqualTo(101);

    var small = new FakeRequest("HTTP/2.0", -1, "{\"a\":1}");
    var verdict = RequestBodies.judge(small.proxy(), LIMIT);
    var passed = ((RequestBodies.Verdict.Pass) verdict).request();
    assertThat(passed).isNotSameAs(small.proxy());
    assertThat(passed.getInputStream().readAllBytes()).asString().isEqualTo("{\"a\":1}");
    assertThat(passed.getContentLengthLong()).isEqualTo(7);
  }

  @Test
  void aDeclaredHttp2LengthIsCheckedOnTheStreamToo() throws Exception {
    var lying = new FakeRequest("HTTP/2.0", 10, "y".repeat(500));
    assertThat(RequestBodies.judge(lying.proxy(), LIMIT))
        .isEqualTo(new RequestBodies.Verdict.Refuse(RequestBodies.TOO_LARGE));
  }

  @Test
  void aChunkedBodyIsCountedWhateverTheMethodOrDeclaredLength() throws Exception {
    var chunked = new FakeRequest("HTTP/1.1", 5, "z".repeat(500));
    chunked.headers.put("Transfer-Encoding", "chunked");
    assertThat(RequestBodies.judge(chunked.proxy(), LIMIT))
        .isEqualTo(new RequestBodies.Verdict.Refuse(RequestBodies.TOO_LARGE));
  }

  @Test
  void theBufferedBodyCanBeReadAsCharacters() throws Exception {
    var request = new FakeRequest("HTTP/2.0", -1, "grüße");
    request.characterEncoding = "UTF-8";
    var passed =
        ((RequestBodies.Verdict.Pass) RequestBodies.judge(request.proxy(), LIMIT)).request();
    assertThat(passed.getReader().readLine()).isEqualTo("grüße");
  }

  @Test
  void aFormOfUnknownLengthIsRefusedWith411AndNotRead() throws Exception {
    var form = new FakeRequest("HTTP/2.0", -1, "a=b");
    form.headers.put("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
    assertThat(RequestBodies.judge(form.proxy(), LIMIT))
        .isEqualTo(new RequestBodies.Verdict.Refuse(RequestBodies.LENGTH_REQUIRED));
    assertThat(form.bytesRead.get()).isZero();

    var declared = new FakeRequest("HTTP/2.0", 3, "a=b");
    declared.headers.put("Content-Type", "multipart/form-data; boundary=x");
    var verdict = RequestBodies.judge(declared.proxy(), LIMIT);
    assertThat(((RequestBodies.Verdict.Pass) verdict).request())
        .as("the container parses it, bounded by the declared length")
        .isSameAs(declared.proxy());
  }

  @Test
  void http1WithoutLengthHeadersHasNoBody() {
    assertThat(RequestBodies.lengthOpen("HTTP/1.1", null)).isFalse();
    assertThat(RequestBodies.lengthOpen("HTTP/1.0", null)).isFalse();
    assertThat(RequestBodies.lengthOpen("HTTP/1.1", "chunked")).isTrue();
    assertThat(RequestBodies.lengthOpen("HTTP/2.0", null)).isTrue();
    assertThat(RequestBodies.lengthOpen(null, null)).isTrue();
  }

  @Test
  void onlyAnAuthenticatedAdministratorMayImport() {
    var admin =
        new Caller(UUID.randomUUID(), "root", Set.of("admin"), AuthMethod.JWT, "sid", "jti");
    assertThat(RequestGuardFilter.mayImport(admin)).isTrue();
    assertThat(
            RequestGuardFilter.mayImport(
                new Caller(
                    admin.userId(), "root", Set.of("admin"), AuthMethod.API_KEY, null, "key")))
        .as("an admin-scoped API key")
        .isFalse();
    assertThat(
            RequestGuardFilter.mayImport(
                new Caller(admin.userId(), "alice", Set.of("user"), AuthMethod.SESSION, "s", null)))
        .isFalse();
    assertThat(RequestGuardFilter.mayImport(null)).as("anonymous").isFalse();
  }

  /** The few request methods {@link RequestBodies} calls, over a fixed body. */
  private static final class FakeRequest {
    final String protocol;
    final long declared;
    final ByteArrayInputStream body;
    final Map<String, String> headers = new HashMap<>();
    final AtomicInteger bytesRead = new AtomicInteger();
    String characterEncoding;
    private HttpServletRequest proxy;

    FakeRequest(String protocol, long declared, String body) {
      this.protocol = protocol;
      this.declared = declared;
      this.body = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    HttpServletRequest proxy() {
      if (proxy == null) {
        proxy =
            (HttpServletRequest)
                Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class},
                    (self, method, args) ->
                        switch (method.getName()) {
                          case "getProtocol" -> protocol;
                          case "getContentLengthLong" -> declared;
                          case "getHeader" -> headers.get((String) args[0]);
                          case "getContentType" -> headers.get("Content-Type");
                          case "getCharacterEncoding" -> characterEncoding;
                          case "getInputStream" -> stream();
                          case "hashCode" -> System.identityHashCode(self);
                          case "equals" -> self == args[0];
                          default -> throw new UnsupportedOperationException(method.getName());
                        });
      }
      return proxy;
    }

    private ServletInputStream stream() {
      return new ServletInputStream() {
        @Override
        public int read() {
          int b = body.read();
          if (b >= 0) {
            bytesRead.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          int n = body.read(b, off, len);
          if (n > 0) {
            bytesRead.addAndGet(n);
          }
          return n;
        }

        @Override
        public boolean isFinished() {
          return body.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {}
      };
    }
  }
}
