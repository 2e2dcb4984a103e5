package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.data.SegmentationBatch;
import io.lossprism.data.Split;
import io.lossprism.data.SyntheticShapes;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.Decomposition;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The real U-Net on DL4J's CPU backend, at a small size. */
class TrainerIT {

    private static AppConfig config(String... overrides) {
        List<String> all = new java.util.ArrayList<>(
                List.of("training.imageSize=32", "training.batchSize=2", "data.trainImages=8", "training.epochs=2"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all);
    }

    @Test
    void networkIsTheSeedUNet() {
        ComputationGraph net = UNet.build(ConfigLoader.load(null, List.of()).training());
        // Keras counts 485,853 parameters for the seed model with 3 input channels and 5 classes
        assertThat(net.numParams()).isEqualTo(485_853L);
        INDArray out = net.outputSingle(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 64, 64)
                .muli(255));
        assertThat(out.shape()).containsExactly(2, 5, 64, 64);
        assertThat(out.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(out.maxNumber().doubleValue()).isLessThanOrEqualTo(1);
    }

    @Test
    void oneDnnHelperServesTheConvolutions() {
        Trainer trainer = new Trainer(config());
        trainer.step();
        assertThat(System.getProperty(OneDnn.HELPERS_DISABLED_PROPERTY)).isEqualTo("false");
        assertThat(OneDnn.helperOf(trainer.network(), UNet.FIRST_CONV)).isEqualTo("OneDnnConvolutionHelper");
    }

    /** The listener's copy is the forward pass of fit() itself: equal to an inference pass just before. */
    @Test
    void capturedLogitsAreThoseOfTheTrainingForwardPass() {
        AppConfig config = config();
        ComputationGraph net = UNet.build(config.training());
        LogitsCapture capture = new LogitsCapture(UNet.LOGITS);
        net.setListeners(capture);
        SegmentationBatch batch = SegmentationBatch.allocate(2, 32, 5);
        FittedBatch slot = new FittedBatch(batch, new long[] {2, 5, 32, 32});
        new SyntheticShapes(32, 5, 1).fill(Split.TRAIN, new int[] {0, 1}, batch);
        INDArray features = Nd4j.create(batch.images(), new long[] {2, 3, 32, 32}, 'c');
        INDArray labels = Nd4j.create(batch.masks(), new long[] {2, 5, 32, 32}, 'c');

        float[] before = net.feedForward(features, false)
                .get(UNet.LOGITS)
                .dup('c')
                .data()
                .asFloat();
        capture.armFor(slot);
        net.fit(new DataSet(features, labels));

        assertThat(slot.logits()).containsExactly(before, org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void classTermsReconcileWithTheScoreDl4jReports() {
        Trainer trainer = new Trainer(config());
        for (int i = 0; i < 4; i++) {
            StepResult step = trainer.step();
            Decomposition d = step.decomposition();
            double sum = d.classes().stream().mapToDouble(ClassBreakdown::loss).sum();
            assertThat(sum).isCloseTo(d.loss(), within(1e-12 * d.loss()));
            // DL4J sums in float32; our double sum agrees to float rounding
            assertThat(d.loss()).isCloseTo(step.reportedLoss(), within(1e-4 * step.reportedLoss()));
        }
    }

    /**
     * The monitor thread decomposes exactly what the training thread would: same batches, bit-identical
     * terms, every iteration once and in order, the slots reused while later batches train.
     */
    @Test
    void decompositionOnTheMonitorThreadIsBitIdenticalAndInOrder() {
        Trainer inline = new Trainer(config());
        Trainer handedOver = new Trainer(config());
        List<StepResult> expected = new java.util.ArrayList<>();
        List<StepResult> actual = new java.util.ArrayList<>();
        try (var monitor = handedOver.monitorQueue("test-monitor")) {
            while (!handedOver.finished()) {
                expected.add(inline.step());
                monitor.submit(handedOver.fit());
                actual.addAll(monitor.poll());
            }
            actual.addAll(monitor.drain());
        }
        assertThat(actual).extracting(StepResult::iteration).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).reportedLoss()).isEqualTo(expected.get(i).reportedLoss());
            assertThat(actual.get(i).decomposition()).isEqualTo(expected.get(i).decomposition());
        }
    }

    @Test
    void weightedLossReconcilesToo() {
        Trainer trainer = new Trainer(config("training.classWeights=[1, 2, 1, 0.5, 20]"));
        StepResult step = trainer.step();
        assertThat(step.decomposition().loss()).isCloseTo(step.reportedLoss(), within(1e-4 * step.reportedLoss()));
    }

    @Test
    void validationDecomposesTheWholeSplitWithoutTraining() {
        Trainer trainer = new Trainer(config("data.validationImages=5"));
        double[] before = trainer.network().params().dup().toDoubleVector();
        StepResult validation = trainer.validate();
        assertThat(trainer.validationImages()).isEqualTo(4); // whole batches of 2
        assertThat(trainer.network().params().toDoubleVector()).containsExactly(before);
        Decomposition d = validation.decomposition();
        assertThat(d.classes().get(0).counts().total()).isEqualTo(4L * 32 * 32);
        assertThat(d.classes().stream().mapToDouble(ClassBreakdown::loss).sum())
                .isCloseTo(d.loss(), within(1e-12 * d.loss()));
        assertThat(validation.reportedLoss()).isNaN();
    }

    /** Validation's logits come from an inference pass of its own: its loss is DL4J's score of those images. */
    @Test
    void validationLossIsTheScoreDl4jGivesTheSameImages() {
        Trainer trainer = new Trainer(config("data.validationImages=4"));
        trainer.step();
        StepResult validation = trainer.validate();
        SegmentationBatch images = SegmentationBatch.allocate(4, 32, 5);
        trainer.data().fill(Split.VALIDATION, new int[] {0, 1, 2, 3}, images);
        DataSet all = new DataSet(
                Nd4j.create(images.images(), new long[] {4, 3, 32, 32}, 'c'),
                Nd4j.create(images.masks(), new long[] {4, 5, 32, 32}, 'c'));
        double score = trainer.network().score(all, false);
        assertThat(validation.decomposition().loss()).isCloseTo(score, within(1e-4 * score));
    }

    @Test
    void epochsAdvanceAfterEveryFullPassAndTrainingStops() {
        Trainer trainer = new Trainer(config());
        assertThat(trainer.iterationsPerEpoch()).isEqualTo(4);
        StepResult last = null;
        while (!trainer.finished()) {
            last = trainer.step();
        }
        assertThat(last.iteration()).isEqualTo(8);
        assertThat(last.epoch()).isEqualTo(1);
    }
}
