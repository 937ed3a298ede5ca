package dev.portcullis.testing;

import jakarta.enterprise.inject.Instance;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * A CDI {@link Instance} over fixed beans, for unit tests of a bean that iterates an injected
 * {@code Instance}: it iterates (and streams) the given beans in the given order; any other method
 * throws {@link UnsupportedOperationException}. Thread-safe.
 */
public final class InstanceStandIn {

  private InstanceStandIn() {}

  /** An instance of {@code beans}, in this order. */
  @SuppressWarnings("unchecked")
  public static <T> Instance<T> of(List<T> beans) {
    var list = List.copyOf(beans);
    return (Instance<T>)
        Proxy.newProxyInstance(
            Instance.class.getClassLoader(),
            new Class<?>[] {Instance.class},
            (self, method, args) -> {
              if (method.getName().equals("iterator")) {
                return list.iterator();
              }
              if (method.isDefault()) { // forEach, stream, spliterator: all through iterator()
                return InvocationHandler.invokeDefault(self, method, args);
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
