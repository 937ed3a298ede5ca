package dev.portcullis.token;

/** Where token code gets the current {@link KeyRing}; {@link SigningKeys} in the server. */
@FunctionalInterface
public interface KeyRingSource {

  KeyRing current();
}
