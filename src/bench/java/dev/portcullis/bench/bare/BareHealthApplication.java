package dev.portcullis.bench.bare;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The bare server's JAX-RS application at {@code /health}, as Portcullis' health endpoints. */
@ApplicationPath("/health")
public class BareHealthApplication extends Application {}
