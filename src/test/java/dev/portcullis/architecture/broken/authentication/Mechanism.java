package dev.portcullis.architecture.broken.authentication;

/** The mechanism. */
public class Mechanism {

  public static String currentUser() {
    return "alice";
  }
}
