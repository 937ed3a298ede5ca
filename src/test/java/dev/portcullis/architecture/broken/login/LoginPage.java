package dev.portcullis.architecture.broken.login;

/** A page. */
public class LoginPage {

  public String title() {
    return "Sign in";
  }
}
