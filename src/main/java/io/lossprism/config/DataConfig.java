package io.lossprism.config;

import java.util.Objects;

/**
 * Which images to train and validate on, how many, the seed that generates them, and whether the
 * synthetic classes are balanced (no rare class) instead of reproducing the seed question.
 */
public record DataConfig(String source, int trainImages, int validationImages, long seed, boolean balanced) {

  public DataConfig {
    Objects.requireNonNull(source, "source");
  }
}
