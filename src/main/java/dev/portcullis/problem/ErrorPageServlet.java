package dev.portcullis.problem;

import dev.portcullis.database.DatabaseFailures;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The container's error page (mapped in web.xml): every error the servlet container itself produces
 * is answered as problem+json, so no page naming the server or its version is shown. A page whose
 * action failed because the database is unreachable answers 503 with {@code Retry-After}, one that
 * lost to a concurrent change 409, as the JSON API does.
 */
@WebServlet("/error")
public class ErrorPageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (viewExpired(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))) {
      // A Faces form left open past the session timeout: show a fresh page, not an error.
      Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
      String page = String.valueOf(uri).endsWith("/account") ? "/account" : "/login";
      response.setStatus(HttpServletResponse.SC_SEE_OTHER);
      response.setHeader("Location", request.getContextPath() + page);
      return;
    }
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i ? i : 404;
    Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    // a page's action that lost to a concurrent change (409) or found the database unreachable
    // (503 with Retry-After): answered as the JSON API answers them, never as a 500
    Problem problem;
    if (failure instanceof Throwable t && DatabaseFailures.isConcurrentChange(t)) {
      problem = ProblemException.conflict().problem();
    } else if (failure instanceof Throwable t && DatabaseFailures.isUnavailable(t)) {
      problem = ProblemException.unavailable().problem();
    } else {
      problem = Problem.forStatus(status);
    }
    problem.writeTo(response);
  }

  private static boolean viewExpired(Object failure) {
    for (Object t = failure; t instanceof Throwable throwable; t = throwable.getCause()) {
      if (throwable.getClass().getName().equals("jakarta.faces.application.ViewExpiredException")) {
        return true;
      }
      if (throwable.getCause() == throwable) {
        return false;
      }
    }
    return false;
  }
}
