package dev.portcullis.web;

import dev.portcullis.problem.ErrorCode;
import dev.portcullis.problem.Problem;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Optional;

/**
 * Holds a request body to its size limit on the stream, whatever the request declares.
 *
 * <p>A body's length is known in advance only for HTTP/1.x with a {@code Content-Length} and no
 * {@code Transfer-Encoding}: the container then reads exactly that many bytes, so a declared length
 * within the limit is the whole check. Every other body — chunked, HTTP/2 (where {@code
 * content-length} is optional and DATA frames carry the body), any method — is read here, at most
 * one byte past the limit, and served to the application from memory ({@link #buffered}); past the
 * limit it is refused with 413 before the application sees any of it.
 *
 * <p>Form posts ({@code application/x-www-form-urlencoded}, {@code multipart/form-data}) of unknown
 * length are refused with 411 {@code LENGTH_REQUIRED} instead: the container parses their
 * parameters from its own stream, which a wrapper cannot replace without parsing forms itself, and
 * browsers always send a {@code Content-Length} with a form. A form post with a declared length is
 * bounded by it: the container reads no more than the declared bytes as parameters.
 *
 * <p>Stateless and thread-safe.
 */
final class RequestBodies {

  private RequestBodies() {}

  /** What to do with a request's body. */
  sealed interface Verdict {

    /** Pass {@code request} on (the original, or one serving an already-read body). */
    record Pass(HttpServletRequest request) implements Verdict {}

    /** Refuse with {@code problem} (413 or 411); the client may still be sending its body. */
    record Refuse(Problem problem) implements Verdict {}
  }

  static final Problem TOO_LARGE =
      Problem.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large");

  static final Problem LENGTH_REQUIRED =
      Problem.of(ErrorCode.LENGTH_REQUIRED, "A form post must declare its Content-Length");

  /**
   * Judges {@code request}'s body against {@code limit} bytes, reading it if its length is open.
   */
  static Verdict judge(HttpServletRequest request, int limit) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      return new Verdict.Refuse(TOO_LARGE);
    }
    if (!lengthOpen(request.getProtocol(), request.getHeader("Transfer-Encoding"))) {
      return new Verdict.Pass(request);
    }
    if (isForm(request.getContentType())) {
      return declared >= 0 && request.getHeader("Transfer-Encoding") == null
          ? new Verdict.Pass(request)
          : new Verdict.Refuse(LENGTH_REQUIRED);
    }
    byte[] body = request.getInputStream().readNBytes(limit + 1);
    if (body.length > limit) {
      return new Verdict.Refuse(TOO_LARGE);
    }
    return new Verdict.Pass(buffered(request, body));
  }

  /**
   * Whether the body's length is not settled by the request line and headers: any {@code
   * Transfer-Encoding} (which wins over a {@code Content-Length}, RFC 9112 6.3), and every protocol
   * but HTTP/1.x — an HTTP/2 request may omit {@code content-length}, and whether a declared one is
   * enforced against the DATA frames is up to the container. An HTTP/1.x request with neither
   * header has no body (RFC 9112 6.3, rule 7); with only {@code Content-Length}, the container
   * reads exactly that many bytes.
   */
  static boolean lengthOpen(String protocol, String transferEncoding) {
    return transferEncoding != null
        || protocol == null
        || !protocol.toUpperCase(Locale.ROOT).startsWith("HTTP/1.");
  }

  /** Whether the container, not the application, parses this content type's body. */
  static boolean isForm(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.equals("application/x-www-form-urlencoded") || type.equals("multipart/form-data");
  }

  /** {@code request} with {@code body} (already read from it) served from memory. */
  static HttpServletRequest buffered(HttpServletRequest request, byte[] body) {
    return new BufferedBodyRequest(request, body);
  }

  /** A request whose already-read body is served from memory, as bytes or as characters. */
  private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;

    BufferedBodyRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      var in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          // everything has arrived already: report it at once
          try {
            if (in.available() > 0) {
              listener.onDataAvailable();
            }
            listener.onAllDataRead();
          } catch (IOException e) {
            listener.onError(e);
          }
        }
      };
    }

    @Override
    public BufferedReader getReader() throws UnsupportedEncodingException {
      return new BufferedReader(
          new InputStreamReader(new ByteArrayInputStream(body), charset(getCharacterEncoding())));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    private static Charset charset(String name) throws UnsupportedEncodingException {
      try {
        return Optional.ofNullable(name).map(Charset::forName).orElse(StandardCharsets.ISO_8859_1);
      } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
        throw new UnsupportedEncodingException(name);
      }
    }
  }
}
