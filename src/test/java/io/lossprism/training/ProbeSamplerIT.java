package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.bus.ReportJson;
import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.data.Dataset;
import io.lossprism.data.SegmentationBatch;
import io.lossprism.data.Split;
import io.lossprism.data.SyntheticDataset;
import io.lossprism.data.SyntheticShapes;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.probes.ClassOverlay;
import io.lossprism.probes.ProbePrediction;
import io.lossprism.probes.ProbeSet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Probe samples from the real U-Net on DL4J's CPU backend, at small sizes. */
class ProbeSamplerIT {

    private static AppConfig config(String... overrides) {
        List<String> all = new ArrayList<>(List.of(
                "training.imageSize=32",
                "training.batchSize=2",
                "data.trainImages=8",
                "data.validationImages=3",
                "training.epochs=2"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all);
    }

    /** The dataset the trainer draws from: same scenes, since every image is a function of (seed, split, index). */
    private static Dataset dataset(AppConfig config) {
        var shapes = new SyntheticShapes(
                config.training().imageSize(),
                config.training().classCount(),
                config.data().seed(),
                config.data().balanced());
        return new SyntheticDataset(
                shapes, config.data().trainImages(), config.data().validationImages());
    }

    private static ProbeSampler sampler(AppConfig config) {
        Dataset data = dataset(config);
        return new ProbeSampler(
                "run-1",
                data,
                ProbeSampler.splitOf(data),
                config.monitor().probeImages(),
                config.training().classes(),
                0.5);
    }

    @Test
    void countsAgreeWithTheMasksAndAnIndependentInferencePass() throws IOException {
        AppConfig config = config();
        Trainer trainer = new Trainer(config);
        trainer.step();
        ProbeSampler sampler = sampler(config);
        ProbeSet set = sampler.sample(trainer.network(), 1);

        // 4 probes asked, the validation split has 3
        assertThat(sampler.split()).isEqualTo(Split.VALIDATION);
        assertThat(set.split()).isEqualTo("validation");
        assertThat(set.iteration()).isEqualTo(1);
        assertThat(set.threshold()).isEqualTo(0.5);
        assertThat(set.images()).extracting(ProbePrediction::index).containsExactly(0, 1, 2);

        int size = 32;
        int pixels = size * size;
        SegmentationBatch truth = SegmentationBatch.allocate(3, size, 5);
        dataset(config).fill(Split.VALIDATION, new int[] {0, 1, 2}, truth);
        INDArray features = Nd4j.create(truth.images(), new long[] {3, 3, size, size}, 'c');
        float[] probabilities =
                trainer.network().outputSingle(false, features).dup('c').data().asFloat();

        for (ProbePrediction probe : set.images()) {
            assertThat(probe.classes())
                    .extracting(ClassOverlay::name)
                    .containsExactlyElementsOf(config.training().classes());
            BufferedImage input = decode(probe.imagePng(), size);
            int imageBase = probe.index() * 3 * pixels;
            for (int p = 0; p < pixels; p += 37) {
                int expected = Math.round(truth.images()[imageBase + p]) << 16
                        | Math.round(truth.images()[imageBase + pixels + p]) << 8
                        | Math.round(truth.images()[imageBase + 2 * pixels + p]);
                assertThat(input.getRGB(p % size, p / size) & 0xFFFFFF).isEqualTo(expected);
            }
            for (int c = 0; c < 5; c++) {
                ClassOverlay overlay = probe.classes().get(c);
                int plane = (probe.index() * 5 + c) * pixels;
                long positives = 0;
                long predicted = 0;
                for (int p = 0; p < pixels; p++) {
                    positives += truth.masks()[plane + p] >= 0.5f ? 1 : 0;
                    predicted += probabilities[plane + p] > 0.5f ? 1 : 0;
                }
                assertThat(overlay.tp() + overlay.fn())
                        .as("positives of class %d", c)
                        .isEqualTo(positives);
                assertThat(overlay.tp() + overlay.fp())
                        .as("predicted of class %d", c)
                        .isEqualTo(predicted);
                assertThat(overlay.tp() + overlay.fp() + overlay.fn()).isLessThanOrEqualTo(pixels);
                decode(overlay.overlayPng(), size);
            }
        }
    }

    @Test
    void trainingSplitIsProbedWhenThereIsNoValidation() {
        AppConfig config = config("data.validationImages=0", "monitor.probeImages=2");
        Dataset data = dataset(config);
        assertThat(ProbeSampler.splitOf(data)).isEqualTo(Split.TRAIN);
        ProbeSet set = sampler(config).sample(new Trainer(config).network(), 0);
        assertThat(set.split()).isEqualTo("train");
        assertThat(set.images()).hasSize(2);
    }

    @Test
    void samplingIsRepeatableAndChangesNoParameter() {
        AppConfig config = config();
        Trainer trainer = new Trainer(config);
        trainer.step();
        ProbeSampler sampler = sampler(config);
        double[] before = trainer.network().params().dup().toDoubleVector();

        ProbeSet first = sampler.sample(trainer.network(), 1);
        ProbeSet second = sampler.sample(trainer.network(), 1);

        assertThat(trainer.network().params().toDoubleVector()).containsExactly(before);
        for (int i = 0; i < first.images().size(); i++) {
            for (int c = 0; c < 5; c++) {
                ClassOverlay a = first.images().get(i).classes().get(c);
                ClassOverlay b = second.images().get(i).classes().get(c);
                assertThat(b.overlayPng()).isEqualTo(a.overlayPng());
                assertThat(List.of(b.tp(), b.fp(), b.fn())).isEqualTo(List.of(a.tp(), a.fp(), a.fn()));
            }
        }
    }

    /** M2.1 calls onForwardPass from fit() only: an inference pass cannot overwrite the trainer's capture. */
    @Test
    void inferenceFiresNoForwardPassListener() {
        AppConfig config = config();
        Trainer trainer = new Trainer(config);
        ComputationGraph network = trainer.network();
        int[] forwardPasses = {0};
        network.addListeners(new BaseTrainingListener() {
            @Override
            public void onForwardPass(Model model, Map<String, INDArray> activations) {
                forwardPasses[0]++;
            }
        });
        sampler(config).sample(network, 0);
        assertThat(forwardPasses[0]).isZero();
        trainer.step();
        assertThat(forwardPasses[0]).as("the listener does see fit()").isEqualTo(1);
    }

    /** Sampling between two steps leaves the next step as it would have been: same score, same terms. */
    @Test
    void samplingBetweenStepsDoesNotDisturbTraining() {
        AppConfig config = config();
        Trainer sampled = new Trainer(config);
        Trainer plain = new Trainer(config);
        ProbeSampler sampler = sampler(config);

        sampled.step();
        plain.step();
        sampler.sample(sampled.network(), 1);
        StepResult withSampling = sampled.step();
        StepResult without = plain.step();

        assertThat(withSampling.reportedLoss()).isEqualTo(without.reportedLoss());
        assertThat(terms(withSampling)).containsExactly(terms(without));
        // and the capture still holds that step's forward pass
        assertThat(withSampling.decomposition().loss())
                .isCloseTo(withSampling.reportedLoss(), within(1e-4 * withSampling.reportedLoss()));
    }

    /** The cost the dashboard view adds at the default size: printed, not asserted (shared machine). */
    @Test
    void costAt64PixelsWithFourProbes() {
        AppConfig config = ConfigLoader.load(null, List.of("training.imageSize=64", "monitor.probeImages=4"));
        OneDnn.enableHelpers();
        ComputationGraph network = UNet.build(config.training());
        ProbeSampler sampler = sampler(config);
        SegmentationBatch probes = SegmentationBatch.allocate(4, 64, 5);
        dataset(config).fill(Split.VALIDATION, new int[] {0, 1, 2, 3}, probes);
        INDArray features = Nd4j.create(probes.images(), new long[] {4, 3, 64, 64}, 'c');
        for (int i = 0; i < 3; i++) {
            sampler.sample(network, i);
        }
        int calls = 10;
        long[] sampleNanos = new long[calls];
        long[] inferenceNanos = new long[calls];
        ProbeSet set = null;
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            set = sampler.sample(network, i);
            long sampled = System.nanoTime();
            network.outputSingle(false, features).dup('c');
            inferenceNanos[i] = System.nanoTime() - sampled;
            sampleNanos[i] = sampled - start;
        }
        long jsonStart = System.nanoTime();
        byte[] message = ReportJson.samples(set).encode().getBytes(StandardCharsets.UTF_8);
        long jsonNanos = System.nanoTime() - jsonStart;
        long pngBytes = set.images().stream()
                .mapToLong(p -> p.imagePng().length
                        + p.classes().stream()
                                .mapToLong(c -> c.overlayPng().length)
                                .sum())
                .sum();

        System.out.printf(
                "ProbeSampler at 64 px, %d probes x %d classes: sample() median %.1f ms (min %.1f),"
                        + " of which inference alone median %.1f ms (min %.1f); JSON %.1f ms, %d bytes"
                        + " (PNG %d bytes)%n",
                set.images().size(),
                set.images().get(0).classes().size(),
                median(sampleNanos) / 1e6,
                min(sampleNanos) / 1e6,
                median(inferenceNanos) / 1e6,
                min(inferenceNanos) / 1e6,
                jsonNanos / 1e6,
                message.length,
                pngBytes);
        assertThat(set.images()).hasSize(4);
        assertThat(set.images()).allSatisfy(p -> assertThat(p.classes()).hasSize(5));
        assertThat(message.length).isGreaterThan((int) pngBytes);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long min(long[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double[] terms(StepResult step) {
        return step.decomposition().classes().stream()
                .mapToDouble(ClassBreakdown::loss)
                .toArray();
    }

    private static BufferedImage decode(byte[] png, int size) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(size);
        assertThat(image.getHeight()).isEqualTo(size);
        return image;
    }
}
