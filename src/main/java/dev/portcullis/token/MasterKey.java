package dev.portcullis.token;

import dev.portcullis.config.InvalidSettingException;
import dev.portcullis.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts signing keys at rest: AES-256-GCM, a fresh 96-bit nonce per value, the
 * signing key's id bound in as associated data so ciphertexts cannot be swapped between rows.
 *
 * <p>It comes from {@code PORTCULLIS_MASTER_KEY} (base64 of exactly 32 random bytes) or the file
 * named by {@code PORTCULLIS_MASTER_KEY_FILE}; never from code. Without one, start-up fails —
 * except in the run command's development mode, which creates {@code <data-dir>/master.key} (mode
 * 600) and says so in the log. Thread-safe.
 */
@ApplicationScoped
public class MasterKey {

  private static final Logger LOG = Logger.getLogger(MasterKey.class.getName());
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int KEY_BYTES = 32;

  private final SecureRandom random = new SecureRandom();
  private SecretKey key;

  protected MasterKey() {}

  @Inject
  public MasterKey(Settings settings) {
    this(load(settings));
  }

  /** A master key from raw key bytes; for tests and tools. */
  public MasterKey(byte[] keyBytes) {
    if (keyBytes.length != KEY_BYTES) {
      throw new InvalidSettingException(
          "The master key must be 32 bytes (base64 of 32 random bytes)");
    }
    this.key = new SecretKeySpec(keyBytes, "AES");
  }

  /** Encrypts {@code plaintext} bound to {@code context}; returns base64 of nonce || ciphertext. */
  public String encrypt(byte[] plaintext, String context) {
    try {
      var nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      var cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * Decrypts a value made by {@link #encrypt} with the same {@code context}.
   *
   * @throws WrongMasterKeyException if the value was sealed under another key or context, or was
   *     altered
   */
  public byte[] decrypt(String sealed, String context) {
    byte[] bytes = Base64.getDecoder().decode(sealed);
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new WrongMasterKeyException();
    }
    try {
      var cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new WrongMasterKeyException();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private static byte[] load(Settings settings) {
    if (settings.masterKey().isPresent()) {
      return decode(settings.masterKey().get(), "PORTCULLIS_MASTER_KEY");
    }
    if (settings.masterKeyFile().isPresent()) {
      return decode(read(settings.masterKeyFile().get()), "PORTCULLIS_MASTER_KEY_FILE");
    }
    if (settings.devMode()) {
      return developmentKey(settings.dataDir().resolve("master.key"));
    }
    throw new InvalidSettingException(
        "No master key: set PORTCULLIS_MASTER_KEY (base64 of 32 random bytes, e.g. "
            + "'openssl rand -base64 32') or PORTCULLIS_MASTER_KEY_FILE");
  }

  private static byte[] developmentKey(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        var bytes = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n");
          LOG.warning(
              "Development mode: created a local master key file "
                  + file.toAbsolutePath()
                  + "; set PORTCULLIS_MASTER_KEY or PORTCULLIS_MASTER_KEY_FILE in production");
        } catch (FileAlreadyExistsException raced) {
          // another start created it first; read theirs
        }
      } else {
        LOG.warning("Development mode: using the local master key file " + file.toAbsolutePath());
      }
      return decode(read(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the development master key " + file, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new InvalidSettingException("Cannot read the master key file " + file);
    }
  }

  private static byte[] decode(String base64, String source) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64.strip());
      if (bytes.length != KEY_BYTES) {
        throw new InvalidSettingException(source + " must be base64 of exactly 32 random bytes");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(source + " is not valid base64");
    }
  }
}
