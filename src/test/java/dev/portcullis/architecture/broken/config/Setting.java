package dev.portcullis.architecture.broken.config;

import dev.portcullis.architecture.broken.web.RequestFilter;

/** Breaks the rules on purpose: configuration that depends on a filter. */
public class Setting {

  public int value() {
    return RequestFilter.limit();
  }
}
