package dev.portcullis.database;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A physical connection that tells WildFly's pool it is dead. A pool WildFly creates for a {@code
 * DataSourceDefinition} has no connection validation and no exception sorter (the annotation cannot
 * configure them, and WildFly adds none), so a connection whose database went away stays in the
 * pool and fails every request that borrows it, long after the database is back. That pool
 * (IronJacamar) does discard a connection when a call on it throws anything but an {@link
 * SQLException}; so when a call fails with an {@code SQLException} and the driver then reports the
 * connection closed, this throws {@link ConnectionLostException} (carrying the driver's exception)
 * instead, and the pool destroys it and hands the caller an {@code SQLException} caused by it. A
 * connection that is open, and every other failure, behave exactly as the driver's.
 *
 * <p>Payara's pool validates connections itself ({@link DataSourceConfig}'s {@code fish.payara.*}
 * properties) and is never given this wrapper.
 */
final class ClosedConnectionSignal implements InvocationHandler {

  private final Connection physical;

  private ClosedConnectionSignal(Connection physical) {
    this.physical = physical;
  }

  static Connection wrap(Connection physical) {
    return (Connection)
        Proxy.newProxyInstance(
            ClosedConnectionSignal.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ClosedConnectionSignal(physical));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "ClosedConnectionSignal[" + physical + "]";
      };
    }
    try {
      return method.invoke(physical, args);
    } catch (InvocationTargetException e) {
      Throwable failure = e.getCause();
      if (failure instanceof SQLException sql && isClosed()) {
        throw new ConnectionLostException(sql);
      }
      throw failure;
    }
  }

  private boolean isClosed() {
    try {
      return physical.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** A call failed on a physical connection the driver has closed: the pool must drop it. */
  static final class ConnectionLostException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    ConnectionLostException(SQLException cause) {
      super("the database connection is closed (SQLState " + cause.getSQLState() + ")", cause);
    }
  }
}
