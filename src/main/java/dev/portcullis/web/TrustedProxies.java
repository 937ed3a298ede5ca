package dev.portcullis.web;

import dev.portcullis.config.InvalidSettingException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed ({@code
 * portcullis.trusted-proxies}: comma-separated exact addresses or CIDR blocks, IPv4 or IPv6; empty
 * by default, so no header is believed).
 *
 * <p>Addresses are parsed as literals only — never resolved through DNS, so a header cannot make
 * the server look anything up. Immutable and thread-safe.
 */
public final class TrustedProxies {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  /** Trusts nobody. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private record Block(byte[] network, int prefix) {

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /**
   * Parses {@code 10.0.0.0/8, 192.0.2.7, ::1}.
   *
   * @throws InvalidSettingException for an entry that is not an address or CIDR block
   */
  public static TrustedProxies parse(String list) {
    var blocks = new ArrayList<Block>();
    if (list != null) {
      for (String raw : list.split(",")) {
        String entry = raw.strip();
        if (entry.isEmpty()) {
          continue;
        }
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        byte[] address =
            literal(host)
                .orElseThrow(
                    () ->
                        new InvalidSettingException(
                            "portcullis.trusted-proxies: not an IP address or CIDR block: "
                                + entry));
        int prefix = address.length * 8;
        if (slash >= 0) {
          try {
            prefix = Integer.parseInt(entry.substring(slash + 1));
          } catch (NumberFormatException e) {
            prefix = -1;
          }
          if (prefix < 0 || prefix > address.length * 8) {
            throw new InvalidSettingException(
                "portcullis.trusted-proxies: bad prefix length in " + entry);
          }
        }
        blocks.add(new Block(address, prefix));
      }
    }
    return new TrustedProxies(blocks);
  }

  /** Whether {@code address} (a literal) is one of the trusted proxies. */
  public boolean contains(String address) {
    if (blocks.isEmpty()) {
      return false;
    }
    return literal(address).map(a -> blocks.stream().anyMatch(b -> b.contains(a))).orElse(false);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /**
   * The bytes of an IPv4 or IPv6 literal ({@code [::1]} brackets allowed), or empty for anything
   * else — host names included, which are never resolved. IPv4-mapped IPv6 addresses come back as
   * IPv4.
   */
  static Optional<byte[]> literal(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String text = value.strip();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    boolean v4 = IPV4.matcher(text).matches();
    if (!v4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) {
      return Optional.empty();
    }
    if (v4) {
      for (String part : text.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return Optional.empty();
        }
      }
    }
    try {
      // A literal (digits and dots, or containing ':') is parsed, never looked up.
      return Optional.of(InetAddress.getByName(text).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The canonical text of a literal address ({@code ::1} for {@code 0:0::1}), or empty. */
  static Optional<String> canonical(String value) {
    return literal(value)
        .map(
            bytes -> {
              try {
                return InetAddress.getByAddress(bytes).getHostAddress();
              } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
              }
            });
  }
}
