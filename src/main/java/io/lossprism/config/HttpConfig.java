package io.lossprism.config;

import java.util.Objects;

/** Where the dashboard and API server listens; port 0 means any free port. */
public record HttpConfig(String host, int port) {

  public HttpConfig {
    Objects.requireNonNull(host, "host");
  }
}
