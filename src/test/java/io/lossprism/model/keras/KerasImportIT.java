package io.lossprism.model.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.model.ModelException;
import io.lossprism.model.Network;
import io.lossprism.npy.NpyArray;
import io.lossprism.npy.NpyReader;
import io.lossprism.training.Networks;
import io.lossprism.training.OneDnn;
import io.lossprism.training.StepResult;
import io.lossprism.training.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras 3 models saved with {@code model.save("m.h5")} (made by tools/fixtures/make_keras_models.py), imported:
 * the same output as Keras on the same input, in NCHW, and one-line refusals of what LossPrism cannot import.
 */
class KerasImportIT {

    static final Path FIXTURES = Path.of("src/test/resources/models/keras");
    private static final double TOLERANCE = 1e-5;

    static AppConfig config(String model, int size, String classes, String... overrides) {
        List<String> all = new ArrayList<>(List.of(
                "model.source=keras",
                "model.file=" + FIXTURES.resolve(model + ".h5"),
                "training.imageSize=" + size,
                "training.classes=" + classes));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all);
    }

    @Test
    void seedUNetGivesKerasOutputInNchw() throws IOException {
        Network network = Networks.open(config("seed-unet-64", 64, "[disc,bar,box,ring,speck]"));

        assertThat(network.graph().numParams()).isEqualTo(485_853L);
        assertThat(network.summary().outputShape()).containsExactly(-1, 5, 64, 64);
        for (var layer : network.graph().getLayers()) {
            if (layer.conf().getLayer() instanceof ConvolutionLayer conv) {
                assertThat(conv.getCnn2dDataFormat()).isEqualTo(CNN2DFormat.NCHW);
            }
            // the importer's keep-everything dropout would cost a mask per layer and step
            assertThat(layer.conf().getLayer().getIDropout())
                    .as(layer.conf().getLayer().getLayerName())
                    .isNull();
        }
        double error = maxAbsError(network, "seed-unet-64");
        System.out.printf("seed-unet-64: imported output vs Keras, max abs error %.3g%n", error);
        assertThat(error).isLessThan(TOLERANCE);
    }

    @Test
    void batchNormBilinearRescalingAndSeparateSigmoidGiveKerasOutput() throws IOException {
        Network network = Networks.open(config("small-bn-bilinear-32", 32, "[a,b,c]"));

        assertThat(network.graph().numParams()).isEqualTo(2507L); // Keras's count_params()
        assertThat(network.logitsVertex()).isEqualTo("probabilities");
        var dropout = network.graph().getLayer("dropout").conf().getLayer().getIDropout();
        assertThat(((org.deeplearning4j.nn.conf.dropout.Dropout) dropout).getP())
                .isCloseTo(0.7, within(1e-9));
        double error = maxAbsError(network, "small-bn-bilinear-32");
        System.out.printf("small-bn-bilinear-32: imported output vs Keras, max abs error %.3g%n", error);
        assertThat(error).isLessThan(TOLERANCE);
    }

    /**
     * The imported seed network trains on the built-in data: the loss falls over 20 iterations, and the
     * class terms add up to the score DL4J reports.
     */
    @Test
    void importedSeedNetworkTrainsOnTheBuiltInData() {
        Trainer imported = new Trainer(config(
                "seed-unet-64",
                64,
                "[disc,bar,box,ring,speck]",
                "training.batchSize=4",
                "data.trainImages=80",
                "data.validationImages=0"));
        double[] losses = new double[20];
        for (int i = 0; i < losses.length; i++) {
            StepResult step = imported.step();
            losses[i] = step.reportedLoss();
            double terms = step.decomposition().classes().stream()
                    .mapToDouble(c -> c.loss())
                    .sum();
            assertThat(terms).isCloseTo(step.reportedLoss(), within(1e-4 * step.reportedLoss()));
        }
        System.out.printf(
                "imported seed U-Net: loss at iteration 1 %.1f, at 20 %.1f (first convolution: %s)%n",
                losses[0], losses[19], OneDnn.helperOfFirstConvolution(imported.network()));

        assertThat(mean(losses, 15, 20)).isLessThan(mean(losses, 0, 5));
        assertThat(losses[19]).isLessThan(losses[0]);
        assertThat(OneDnn.helperOfFirstConvolution(imported.network())).isEqualTo("MKLDNNConvHelper");
    }

    private static double mean(double[] values, int from, int to) {
        return java.util.Arrays.stream(values, from, to).average().orElseThrow();
    }

    @Test
    void anUnsupportedLayerIsNamedOnOneLine() {
        assertThatThrownBy(() -> Networks.open(config("unsupported-layer", 16, "[a,b]")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("unsupported-layer.h5")
                .hasMessageContaining("layer 'layer_norm' is a LayerNormalization")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aSoftmaxOutputIsRefused() {
        assertThatThrownBy(() -> Networks.open(config("softmax-output", 16, "[a,b,c]")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("output layer 'classes'")
                .hasMessageContaining("'softmax'");
    }

    @Test
    void aClassCountOtherThanTheModelsIsRefused() {
        assertThatThrownBy(() -> Networks.open(config("small-bn-bilinear-32", 32, "[a,b,c,d,e]")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("small-bn-bilinear-32.h5")
                .hasMessageContaining("[N, 5, 32, 32]");
    }

    @Test
    void anImageSizeOtherThanTheInputsIsRefused() {
        assertThatThrownBy(() -> Networks.open(config("seed-unet-64", 32, "[disc,bar,box,ring,speck]")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("takes 64x64 px images but training.imageSize is 32");
    }

    @Test
    void aFileThatIsNotHdf5IsNamed() {
        AppConfig config = ConfigLoader.load(
                null, List.of("model.source=keras", "model.file=" + FIXTURES.resolve("seed-unet-64.input.npy")));
        assertThatThrownBy(() -> Networks.open(config))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("model.file " + FIXTURES.resolve("seed-unet-64.input.npy") + ": not an HDF5");
    }

    /** Largest difference between the network's sigmoid output and Keras's, both compared as NHWC. */
    static double maxAbsError(Network network, String model) throws IOException {
        NpyArray input = NpyReader.read(FIXTURES.resolve(model + ".input.npy"));
        NpyArray expected = NpyReader.read(FIXTURES.resolve(model + ".expected.npy"));
        INDArray nchw = Nd4j.create(input.values(), input.shape(), 'c')
                .castTo(DataType.FLOAT)
                .permute(0, 3, 1, 2)
                .dup('c');
        INDArray output =
                network.graph().outputSingle(false, nchw).permute(0, 2, 3, 1).dup('c');
        assertThat(output.shape()).containsExactly(expected.shape());
        double[] actual = output.castTo(DataType.DOUBLE).data().asDouble();
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected.values()[i]));
        }
        return max;
    }
}
