package io.lossprism.probes;

import java.util.List;

/**
 * One probe image: its index within the split, the input as a PNG, and one overlay per class in
 * class order. Immutable, like {@link ClassOverlay}.
 */
public record ProbePrediction(int index, byte[] imagePng, List<ClassOverlay> classes) {

    public ProbePrediction {
        imagePng = imagePng.clone();
        classes = List.copyOf(classes);
    }

    @Override
    public byte[] imagePng() {
        return imagePng.clone();
    }
}
