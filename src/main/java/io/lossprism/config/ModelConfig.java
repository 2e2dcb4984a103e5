package io.lossprism.config;

import java.util.Objects;

/**
 * Which network trains. {@code source} "unet" builds LossPrism's U-Net from {@code depth} (poolings),
 * {@code baseFilters} (filters of the first level, doubling per level), {@code batchNorm},
 * {@code dropout} (rate after the bottleneck, 0 for none) and {@code upsampling} ("transposed" or
 * "bilinear"); "dl4j" loads {@code file}, a network saved with DL4J's ModelSerializer; "keras" imports
 * {@code file}, a Keras 3 {@code .h5}. {@code sha256} is empty or the hex SHA-256 the file must have:
 * a run records its file's hash there, so a changed file is noticed when the run resumes.
 */
public record ModelConfig(
        String source,
        String file,
        String sha256,
        int depth,
        int baseFilters,
        boolean batchNorm,
        double dropout,
        String upsampling) {

    public static final String UNET = "unet";
    public static final String DL4J = "dl4j";
    public static final String KERAS = "keras";

    public ModelConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(upsampling, "upsampling");
    }

    /** True when the network comes from a file rather than being built here. */
    public boolean fromFile() {
        return !UNET.equals(source);
    }

    public boolean bilinear() {
        return "bilinear".equals(upsampling);
    }
}
