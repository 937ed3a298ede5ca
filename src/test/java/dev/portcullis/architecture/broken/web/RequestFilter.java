package dev.portcullis.architecture.broken.web;

/** A filter. */
public class RequestFilter {

  public static int limit() {
    return 1;
  }
}
