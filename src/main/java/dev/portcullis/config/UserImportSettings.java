package dev.portcullis.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Settings of the legacy user import, read once from MicroProfile Config.
 *
 * @param maxRequestBytes the body limit of {@code POST /api/v1/admin/users/import} only ({@code
 *     portcullis.users.import.max-request-bytes}, default 8 MiB: 10,000 users with PBKDF2-SHA512
 *     hashes take about 3 MB); every other endpoint keeps {@code portcullis.http.max-request-bytes}
 */
public record UserImportSettings(int maxRequestBytes) {

  public static final String MAX_REQUEST_BYTES = "portcullis.users.import.max-request-bytes";
  public static final int DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024;

  /** Reads and checks the settings from any {@link Config}. */
  public static UserImportSettings read(Config config) {
    Optional<String> value = config.getOptionalValue(MAX_REQUEST_BYTES, String.class);
    int bytes;
    try {
      bytes = value.map(String::strip).map(Integer::parseInt).orElse(DEFAULT_MAX_REQUEST_BYTES);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(MAX_REQUEST_BYTES + " must be a whole number");
    }
    if (bytes < 1024 || bytes > 256 * 1024 * 1024) {
      throw new InvalidSettingException(MAX_REQUEST_BYTES + " must be 1024..268435456");
    }
    return new UserImportSettings(bytes);
  }

  /** Produces the settings for injection. */
  @ApplicationScoped
  static class Producer {

    @Produces
    @Singleton
    UserImportSettings settings() {
      return read(ConfigProvider.getConfig());
    }
  }
}
