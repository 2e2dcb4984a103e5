package io.lossprism.config;

import java.util.Objects;

/** Which images to train and validate on, how many, and the seed that generates them. */
public record DataConfig(String source, int trainImages, int validationImages, long seed) {

  public DataConfig {
    Objects.requireNonNull(source, "source");
  }
}
