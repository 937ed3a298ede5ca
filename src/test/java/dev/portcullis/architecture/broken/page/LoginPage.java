package dev.portcullis.architecture.broken.page;

/** A page. */
public class LoginPage {

  public String title() {
    return "Sign in";
  }
}
