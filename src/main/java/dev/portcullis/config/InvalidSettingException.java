package dev.portcullis.config;

/** A configuration value that would make Portcullis unsafe or inconsistent; stops start-up. */
public class InvalidSettingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidSettingException(String message) {
    super(message);
  }
}
