package io.lossprism.experiment;

/**
 * How one remedy trained.
 *
 * @param remedy         the loss configuration
 * @param iterations     iterations trained (fewer than asked if the loss went non-finite)
 * @param trainIou       IoU per class on the training images, TP/FP/FN pooled over the last epoch's batches
 * @param validationIou  IoU per class on the validation split after the last iteration
 * @param firstRareAbove first iteration whose validation check gave the rare class an IoU above 0.5; -1 for never
 * @param millisPerStep  median time of one training step (forward, loss, backward, update)
 * @param diverged       the loss went non-finite and training stopped
 */
public record RemedyResult(
        Remedy remedy,
        long iterations,
        double[] trainIou,
        double[] validationIou,
        long firstRareAbove,
        double millisPerStep,
        boolean diverged) {

    public RemedyResult {
        trainIou = trainIou.clone();
        validationIou = validationIou.clone();
    }
}
