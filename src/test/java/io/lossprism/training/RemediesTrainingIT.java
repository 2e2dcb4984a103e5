package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.LossFunction;
import io.lossprism.training.losses.LossBceDice;
import io.lossprism.training.losses.LossDice;
import io.lossprism.training.losses.LossFocal;
import io.lossprism.training.losses.LossPosWeightXent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every trainable loss in the real U-Net at 32 px: the network trains with the configured loss, the
 * class terms add up to the decomposed loss, the decomposed loss equals DL4J's own score to float32
 * rounding, and a checkpoint resumes the run bit for bit with the same loss.
 */
class RemediesTrainingIT {

    /** DL4J's score is a double from our loss function; relative float32 rounding is 6e-8. */
    private static final double FLOAT32_ROUNDING = 1e-6;

    @TempDir
    Path dir;

    static Stream<Arguments> remedies() {
        return Stream.of(
                Arguments.of(
                        List.of("training.posWeight=[1, 2, 1, 4, 900]"), LossPosWeightXent.class, LossFunction.BCE),
                Arguments.of(
                        List.of("training.loss=focal", "training.focalAlpha=0.25"),
                        LossFocal.class,
                        LossFunction.FOCAL),
                Arguments.of(
                        List.of(
                                "training.loss=focal",
                                "training.focalGamma=0.5",
                                "training.classWeights=[1, 1, 1, 1, 5]",
                                "training.posWeight=[1, 1, 1, 1, 10]"),
                        LossFocal.class,
                        LossFunction.FOCAL),
                Arguments.of(List.of("training.loss=dice"), LossDice.class, LossFunction.DICE),
                Arguments.of(
                        List.of("training.loss=dice", "training.dice=macro", "training.diceSmooth=0.1"),
                        LossDice.class,
                        LossFunction.DICE),
                Arguments.of(List.of("training.loss=bce_dice"), LossBceDice.class, LossFunction.BCE_DICE),
                Arguments.of(
                        List.of(
                                "training.loss=bce_dice",
                                "training.dice=macro",
                                "training.bceDiceWeights=[0.001, 2]",
                                "training.posWeight=[1, 1, 1, 1, 30]"),
                        LossBceDice.class,
                        LossFunction.BCE_DICE));
    }

    private static AppConfig config(List<String> overrides) {
        List<String> all = new ArrayList<>(List.of(
                "training.imageSize=32",
                "training.batchSize=2",
                "data.trainImages=8",
                "data.validationImages=4",
                "training.epochs=3"));
        all.addAll(overrides);
        return ConfigLoader.load(null, all);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("remedies")
    void classTermsReconcileWithDl4jsScore(List<String> overrides, Class<?> lossClass, LossFunction family) {
        Trainer trainer = new Trainer(config(overrides));
        CnnLossLayer output =
                (CnnLossLayer) trainer.network().getLayer(UNet.OUTPUT).conf().getLayer();
        assertThat(output.getLossFn()).isInstanceOf(lossClass);
        assertThat(trainer.objective().function()).isEqualTo(family);

        double worst = 0;
        for (int i = 0; i < 4; i++) {
            StepResult step = trainer.step();
            Decomposition d = step.decomposition();
            double sum = d.classes().stream().mapToDouble(ClassBreakdown::loss).sum();
            assertThat(sum).isCloseTo(d.loss(), within(1e-12 * Math.abs(d.loss())));
            assertThat(d.loss()).isCloseTo(step.reportedLoss(), within(FLOAT32_ROUNDING * Math.abs(d.loss())));
            worst = Math.max(worst, Math.abs(step.reportedLoss() - d.loss()) / Math.abs(d.loss()));
        }
        System.out.printf("%s: largest relative residual against DL4J's score %.2e%n", overrides, worst);
        Decomposition validation = trainer.validate().decomposition();
        assertThat(validation.classes().stream()
                        .mapToDouble(ClassBreakdown::loss)
                        .sum())
                .isCloseTo(validation.loss(), within(1e-12 * Math.abs(validation.loss())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("remedies")
    void aCheckpointResumesWithTheSameLoss(List<String> overrides, Class<?> lossClass, LossFunction family)
            throws Exception {
        Trainer original = new Trainer(config(overrides));
        for (int i = 0; i < 3; i++) {
            original.step();
        }
        Checkpoints checkpoints = new Checkpoints(dir, 1);
        checkpoints.save(original.network(), original.iteration());
        List<Double> expected =
                List.of(original.step().reportedLoss(), original.step().reportedLoss());

        Trainer resumed = new Trainer(config(overrides));
        resumed.restore(checkpoints.latest().orElseThrow());
        CnnLossLayer output =
                (CnnLossLayer) resumed.network().getLayer(UNet.OUTPUT).conf().getLayer();

        assertThat(output.getLossFn())
                .isInstanceOf(lossClass)
                .isEqualTo(((CnnLossLayer)
                                original.network().getLayer(UNet.OUTPUT).conf().getLayer())
                        .getLossFn());
        assertThat(List.of(resumed.step().reportedLoss(), resumed.step().reportedLoss()))
                .isEqualTo(expected);
    }
}
