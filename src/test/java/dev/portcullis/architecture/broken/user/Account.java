package dev.portcullis.architecture.broken.user;

import dev.portcullis.architecture.broken.authentication.Mechanism;

/** Breaks the rules on purpose: the domain asks the mechanism who is calling. */
public class Account {

  public String owner() {
    return Mechanism.currentUser();
  }
}
