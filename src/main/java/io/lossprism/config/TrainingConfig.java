package io.lossprism.config;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * How the network is trained. {@code classWeights} always holds one weight per class: an empty
 * list given to the constructor stands for all 1.0. {@code loss} is the loss it trains with.
 */
public record TrainingConfig(
        int imageSize,
        int batchSize,
        List<String> classes,
        List<Double> classWeights,
        int epochs,
        Optimizer optimizer,
        double learningRate,
        long seed,
        LossConfig loss) {

    /** Trains with plain binary cross-entropy. */
    public TrainingConfig(
            int imageSize,
            int batchSize,
            List<String> classes,
            List<Double> classWeights,
            int epochs,
            Optimizer optimizer,
            double learningRate,
            long seed) {
        this(
                imageSize,
                batchSize,
                classes,
                classWeights,
                epochs,
                optimizer,
                learningRate,
                seed,
                LossConfig.bce(classes.size()));
    }

    public TrainingConfig {
        classes = List.copyOf(classes);
        classWeights = classWeights.isEmpty()
                ? List.copyOf(Collections.nCopies(classes.size(), 1.0))
                : List.copyOf(classWeights);
        if (classWeights.size() != classes.size()) {
            throw new IllegalArgumentException("classWeights has " + classWeights.size() + " entries but there are "
                    + classes.size() + " classes");
        }
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        if (loss.posWeight().size() != classes.size()) {
            throw new IllegalArgumentException("posWeight has "
                    + loss.posWeight().size() + " entries but there are " + classes.size() + " classes");
        }
    }

    public int classCount() {
        return classes.size();
    }
}
