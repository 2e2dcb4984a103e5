package io.lossprism.compare;

import java.util.Objects;

/** One class's numbers in one report: IoU, Dice and its term of the loss; NaN when undefined. */
public record ClassPoint(String name, double iou, double dice, double loss) {

    public ClassPoint {
        Objects.requireNonNull(name, "name");
    }

    /** The value of {@code metric}. */
    public double value(Metric metric) {
        return switch (metric) {
            case IOU -> iou;
            case DICE -> dice;
            case LOSS -> loss;
        };
    }
}
