package dev.portcullis.testing;

import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A response for unit tests that records what code writes into it: status, headers, content type
 * and body. It answers the methods a servlet component uses to write a small complete answer
 * ({@code setStatus}, {@code setHeader}/{@code addHeader}, {@code setContentType}, {@code
 * getWriter}, {@code resetBuffer}, {@code flushBuffer}); any other method throws {@link
 * UnsupportedOperationException}. As in a container, {@code resetBuffer} keeps status and headers
 * and refuses once the response is committed.
 *
 * <p>Usage: {@code var recorded = new ResponseStandIn(); filter.run(request, recorded.response());
 * assertThat(recorded.status()).isEqualTo(401);} Not thread-safe.
 */
public final class ResponseStandIn {

  private int status;
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private String contentType;
  private String characterEncoding;
  private StringWriter body = new StringWriter();
  private final PrintWriter writer = new PrintWriter(new Body());
  private boolean committed;
  private final HttpServletResponse response;

  public ResponseStandIn() {
    response =
        (HttpServletResponse)
            Proxy.newProxyInstance(
                HttpServletResponse.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class},
                (self, method, args) ->
                    switch (method.getName()) {
                      case "setStatus" -> status = (Integer) args[0];
                      case "getStatus" -> status == 0 ? 200 : status;
                      case "setHeader" -> headers.put((String) args[0], values(args[1]));
                      case "addHeader" ->
                          headers
                              .computeIfAbsent((String) args[0], n -> new ArrayList<>())
                              .add((String) args[1]);
                      case "getHeader" -> header((String) args[0]);
                      case "getHeaders" -> headers((String) args[0]);
                      case "containsHeader" -> headers.containsKey((String) args[0]);
                      case "setContentType" -> contentType = (String) args[0];
                      case "getContentType" -> contentType;
                      case "setCharacterEncoding" -> characterEncoding = (String) args[0];
                      case "getCharacterEncoding" -> characterEncoding;
                      case "getWriter" -> writer;
                      case "resetBuffer" -> resetBuffer();
                      case "flushBuffer" -> committed = true;
                      case "isCommitted" -> committed;
                      case "toString" -> "ResponseStandIn[" + status + "]";
                      case "hashCode" -> System.identityHashCode(self);
                      case "equals" -> self == args[0];
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
  }

  /** The response to hand to the code under test. */
  public HttpServletResponse response() {
    return response;
  }

  /** The status set, or 0 if none was. */
  public int status() {
    return status;
  }

  /** The first value of header {@code name}, or null. */
  public String header(String name) {
    var values = headers.get(name);
    return values == null ? null : values.get(0);
  }

  /** Every value of header {@code name}, in the order written. */
  public List<String> headers(String name) {
    return List.copyOf(headers.getOrDefault(name, List.of()));
  }

  public Set<String> headerNames() {
    return Set.copyOf(headers.keySet());
  }

  /** The content type set, without the character encoding, or null. */
  public String contentType() {
    return contentType;
  }

  public String characterEncoding() {
    return characterEncoding;
  }

  /** What was written to the body and not reset. */
  public String body() {
    writer.flush();
    return body.toString();
  }

  public boolean isCommitted() {
    return committed;
  }

  /** Whether nothing at all was written: no status, header, content type or body. */
  public boolean isUntouched() {
    return status == 0 && headers.isEmpty() && contentType == null && body().isEmpty();
  }

  private static List<String> values(Object value) {
    var values = new ArrayList<String>();
    values.add((String) value);
    return values;
  }

  private Object resetBuffer() {
    if (committed) {
      throw new IllegalStateException("The response is already committed");
    }
    writer.flush();
    body = new StringWriter();
    return null;
  }

  /** Writes through to the current body, so {@code resetBuffer} can start it again. */
  private final class Body extends Writer {

    @Override
    public void write(char[] chars, int offset, int length) {
      body.write(chars, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
