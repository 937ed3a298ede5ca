package dev.portcullis.token;

/** A sealed value does not open under this master key: wrong key, wrong row, or tampering. */
public class WrongMasterKeyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public WrongMasterKeyException() {
    super(
        "The value cannot be decrypted with this master key; "
            + "is PORTCULLIS_MASTER_KEY the one the database was created with?");
  }
}
