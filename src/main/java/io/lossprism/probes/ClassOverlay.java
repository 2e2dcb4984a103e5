package io.lossprism.probes;

import io.lossprism.loss.ConfusionCounts;
import java.util.Objects;

/**
 * One class's prediction on one probe image: an RGBA PNG as large as the image, transparent where
 * the pixel is a true negative, and the pixel counts it shows.
 *
 * <p>Immutable: the PNG bytes are copied in and out, since one set is shared by every consumer of
 * the event bus.
 */
public record ClassOverlay(String name, byte[] overlayPng, long tp, long fp, long fn) {

    public ClassOverlay {
        Objects.requireNonNull(name, "name");
        overlayPng = overlayPng.clone();
    }

    @Override
    public byte[] overlayPng() {
        return overlayPng.clone();
    }

    /** tp / (tp + fp + fn); NaN when the class is absent from both truth and prediction. */
    public double iou() {
        // true negatives do not enter IoU, so the count left out here changes nothing
        return new ConfusionCounts(tp, fp, fn, 0).iou();
    }
}
