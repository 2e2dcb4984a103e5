package io.lossprism.data;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Assigns a folder image to training or validation by a hash of its name alone, so adding or removing
 * images never moves another one between the splits (which would leak validation images into training
 * across runs).
 */
public final class HashSplit {

    static final int BUCKETS = 10_000;

    private HashSplit() {}

    /** 0 .. 9999: CRC32 of the UTF-8 name, modulo 10,000. */
    public static int bucket(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % BUCKETS);
    }

    /** @param name the file name without extension */
    public static boolean isValidation(String name, double validationFraction) {
        return bucket(name) < Math.round(validationFraction * BUCKETS);
    }
}
