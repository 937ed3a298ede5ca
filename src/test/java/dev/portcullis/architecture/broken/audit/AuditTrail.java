package dev.portcullis.architecture.broken.audit;

import dev.portcullis.architecture.broken.user.Account;

/** Breaks the rules on purpose: the audit log calls back into a feature. */
public class AuditTrail {

  public String record(Account account) {
    return account.owner();
  }
}
