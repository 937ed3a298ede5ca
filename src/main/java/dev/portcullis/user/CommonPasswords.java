package dev.portcullis.user;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * The 100,000 most common passwords, which a new password must not be (NIST SP 800-63B 3.1.1.2).
 *
 * <p>The list is nbvcxz's {@code dictionaries/passwords.txt} (MIT licence; the top 100,000 of the
 * "10 million passwords" list also published in SecLists), unpacked from the {@code
 * me.gosimple:nbvcxz} artifact into the WAR at build time as {@code
 * dev/portcullis/user/common-passwords.txt}. Entries and candidates are compared by their {@link
 * Usernames#key} (NFKC, lower case), so "PASSWORD1" and full-width "ｐａｓｓｗｏｒｄ１" are both refused.
 *
 * <p>The list is loaded once at start-up into one sorted UTF-8 byte array plus an offset table
 * (about 1 MiB of heap, several times less than a {@code HashSet<String>}) and searched by binary
 * search. Immutable after loading, so thread-safe.
 */
@ApplicationScoped
public class CommonPasswords {

  static final String RESOURCE = "common-passwords.txt";
  private static final Logger LOG = Logger.getLogger(CommonPasswords.class.getName());

  private byte[] entries;
  private int[] offsets;

  /** For CDI; the list is loaded in {@link #load}. */
  protected CommonPasswords() {}

  private CommonPasswords(List<String> passwords) {
    index(passwords);
  }

  /** The list shipped in the WAR. */
  public static CommonPasswords shipped() {
    var list = new CommonPasswords();
    list.load();
    return list;
  }

  /** A list of the given passwords, for tests. */
  static CommonPasswords of(List<String> passwords) {
    return new CommonPasswords(passwords);
  }

  @PostConstruct
  void load() {
    try (InputStream in = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the common-password list " + RESOURCE + " is missing from the build");
      }
      var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      index(reader.lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads the list when the application starts rather than at the first password change. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    LOG.info(() -> "Loaded " + size() + " common passwords");
  }

  /** Whether {@code password}, normalised, is on the list. */
  public boolean contains(String password) {
    byte[] key = Usernames.key(password).getBytes(StandardCharsets.UTF_8);
    int low = 0;
    int high = offsets.length - 2;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int cmp = Arrays.compareUnsigned(entries, offsets[mid], offsets[mid + 1], key, 0, key.length);
      if (cmp < 0) {
        low = mid + 1;
      } else if (cmp > 0) {
        high = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** How many distinct normalised entries the list has. */
  public int size() {
    return offsets.length - 1;
  }

  private void index(List<String> passwords) {
    var keys = new ArrayList<byte[]>(passwords.size());
    for (String line : passwords) {
      String entry = line.strip();
      if (!entry.isEmpty()) {
        keys.add(Usernames.key(entry).getBytes(StandardCharsets.UTF_8));
      }
    }
    keys.sort(Arrays::compareUnsigned);
    int total = 0;
    var distinct = new ArrayList<byte[]>(keys.size());
    for (byte[] key : keys) {
      if (distinct.isEmpty() || !Arrays.equals(distinct.get(distinct.size() - 1), key)) {
        distinct.add(key);
        total += key.length;
      }
    }
    var blob = new byte[total];
    var starts = new int[distinct.size() + 1];
    int at = 0;
    for (int i = 0; i < distinct.size(); i++) {
      starts[i] = at;
      byte[] key = distinct.get(i);
      System.arraycopy(key, 0, blob, at, key.length);
      at += key.length;
    }
    starts[distinct.size()] = at;
    this.entries = blob;
    this.offsets = starts;
  }
}
