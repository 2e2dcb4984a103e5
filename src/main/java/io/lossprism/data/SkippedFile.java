package io.lossprism.data;

import java.nio.file.Path;

/** A file left out of a folder dataset (with {@code data.onBadFile: skip}) and why. */
public record SkippedFile(Path path, String reason) {

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
