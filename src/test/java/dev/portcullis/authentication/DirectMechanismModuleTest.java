package dev.portcullis.authentication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import org.glassfish.soteria.mechanisms.jaspic.Jaspic;
import org.junit.jupiter.api.Test;

/** The module answers the container as Soteria's bridge does, with one mechanism for every call. */
class DirectMechanismModuleTest {

  /** A mechanism that answers {@link #next} (or throws it) and counts its calls. */
  static final class ScriptedMechanism implements HttpAuthenticationMechanism {
    Object next = AuthenticationStatus.SUCCESS;
    final List<String> calls = new ArrayList<>();

    @Override
    public AuthenticationStatus validateRequest(
        HttpServletRequest request, HttpServletResponse response, HttpMessageContext context)
        throws AuthenticationException {
      calls.add("validate");
      return answer();
    }

    @Override
    public AuthenticationStatus secureResponse(
        HttpServletRequest request, HttpServletResponse response, HttpMessageContext context)
        throws AuthenticationException {
      calls.add("secure");
      return answer();
    }

    @Override
    public void cleanSubject(
        HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
      calls.add("clean");
    }

    private AuthenticationStatus answer() throws AuthenticationException {
      if (next instanceof AuthenticationException e) {
        throw e;
      }
      return (AuthenticationStatus) next;
    }
  }

  private final ScriptedMechanism mechanism = new ScriptedMechanism();
  private final ServerAuthModuleUnderTest module = new ServerAuthModuleUnderTest(mechanism);
  private final Map<String, Object> attributes = new HashMap<>();
  private final MessageInfo message = message(attributes);

  @Test
  void validateRequestMapsEveryStatusAndRecordsItForTheSecurityContext() throws Exception {
    for (var status : AuthenticationStatus.values()) {
      mechanism.next = status;
      assertThat(module.validate(message)).isEqualTo(Jaspic.fromAuthenticationStatus(status));
      assertThat(attributes).containsValue(status);
    }
    assertThat(mechanism.calls).hasSize(AuthenticationStatus.values().length);
  }

  @Test
  void aMechanismFailureIsTheContainersAuthException() {
    var failure = new AuthenticationException("store down");
    mechanism.next = failure;
    assertThatThrownBy(() -> module.validate(message))
        .isInstanceOf(AuthException.class)
        .hasCause(failure);
    assertThat(attributes).containsValue(AuthenticationStatus.SEND_FAILURE);
    assertThatThrownBy(() -> module.secure(message))
        .isInstanceOf(AuthException.class)
        .hasCause(failure);
  }

  @Test
  void aSecuredResponseIsSendSuccessAndCleaningReachesTheMechanism() throws Exception {
    mechanism.next = AuthenticationStatus.SUCCESS;
    assertThat(module.secure(message)).isEqualTo(AuthStatus.SEND_SUCCESS);
    mechanism.next = AuthenticationStatus.SEND_FAILURE;
    assertThat(module.secure(message)).isEqualTo(AuthStatus.SEND_FAILURE);
    module.clean(message);
    assertThat(mechanism.calls).containsExactly("secure", "secure", "clean");
  }

  /** The module, built as {@link DirectMechanismModule#install} builds it. */
  static final class ServerAuthModuleUnderTest {
    private final DirectMechanismModule module;

    ServerAuthModuleUnderTest(HttpAuthenticationMechanism mechanism) {
      module = DirectMechanismModule.of(mechanism);
      module.initialize(null, null, callbacks -> {}, Map.of());
    }

    AuthStatus validate(MessageInfo message) throws AuthException {
      return module.validateRequest(message, new Subject(), null);
    }

    AuthStatus secure(MessageInfo message) throws AuthException {
      return module.secureResponse(message, null);
    }

    void clean(MessageInfo message) {
      module.cleanSubject(message, new Subject());
    }
  }

  private static MessageInfo message(Map<String, Object> attributes) {
    var request =
        (HttpServletRequest)
            Proxy.newProxyInstance(
                DirectMechanismModuleTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "getAttribute" -> attributes.get((String) args[0]);
                      case "setAttribute" -> attributes.put((String) args[0], args[1]);
                      case "removeAttribute" -> attributes.remove((String) args[0]);
                      default -> null;
                    });
    var response =
        (HttpServletResponse)
            Proxy.newProxyInstance(
                DirectMechanismModuleTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> null);
    var map = new HashMap<Object, Object>();
    return new MessageInfo() {
      @Override
      public Object getRequestMessage() {
        return request;
      }

      @Override
      public Object getResponseMessage() {
        return response;
      }

      @Override
      public void setRequestMessage(Object message) {}

      @Override
      public void setResponseMessage(Object message) {}

      @Override
      @SuppressWarnings("rawtypes")
      public Map getMap() {
        return map;
      }
    };
  }
}
