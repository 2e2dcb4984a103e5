package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.model.BilinearUpsampling2D;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The U-Net's shape for several model.* settings, against parameter counts worked out by hand. Per 3x3
 * convolution from i to o channels: 9io + o (bias), or 9io + 4o with batch normalisation (no bias; gamma,
 * beta, mean, variance). Per level, a pair i -> o -> o. Decoder: up 2x2 transposed 4io + o, or bilinear
 * then 3x3 9io + o; then a pair 2o -> o. Output: 1x1, F0*C + C.
 */
class UNetIT {

    private static ComputationGraph build(String... overrides) {
        AppConfig config = ConfigLoader.load(null, List.of(overrides));
        return UNet.build(config.training(), config.model());
    }

    private static long[] outputShape(ComputationGraph net, int size) {
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, size, size).muli(255);
        return net.outputSingle(images).shape();
    }

    @Test
    void defaultsAreTheSeedNetwork() {
        ComputationGraph net = build();
        assertThat(net.numParams()).isEqualTo(485_853L);
        assertThat(outputShape(net, 64)).containsExactly(2, 5, 64, 64);
        assertThat(net.getConfiguration().getTopologicalOrderStr()).containsExactlyInAnyOrderElementsOf(seedVertices());
    }

    /**
     * Depth 2, 4 filters: 4, 8, bottleneck 16, 5 classes.
     * enc1 (3->4->4) 112+148 = 260; enc2 (4->8->8) 296+584 = 880; bottleneck (8->16->16) 1168+2320 = 3488;
     * dec2 up 4*16*8+8 = 520, pair (16->8->8) 1160+584 = 1744; dec1 up 4*8*4+4 = 132, pair (8->4->4) 292+148 = 440;
     * logits 4*5+5 = 25. Sum 7,489.
     */
    @Test
    void shallowNarrowTransposed() {
        ComputationGraph net = build("model.depth=2", "model.baseFilters=4", "training.imageSize=32");
        assertThat(net.numParams()).isEqualTo(7_489L);
        assertThat(outputShape(net, 32)).containsExactly(2, 5, 32, 32);
    }

    /**
     * Depth 2, 4 filters, batch norm, bilinear, dropout, 3 classes.
     * enc1 (3->4->4) 108+16 + 144+16 = 284; enc2 (4->8->8) 288+32 + 576+32 = 928;
     * bottleneck (8->16->16) 1152+64 + 2304+64 = 3584; dropout 0;
     * dec2 bilinear + 3x3 16->8 with bias 1160, pair (16->8->8) 1152+32 + 576+32 = 1792;
     * dec1 3x3 8->4 292, pair (8->4->4) 288+16 + 144+16 = 464; logits 4*3+3 = 15. Sum 8,519.
     */
    @Test
    void batchNormBilinearDropout() {
        ComputationGraph net = build(
                "model.depth=2",
                "model.baseFilters=4",
                "model.batchNorm=true",
                "model.upsampling=bilinear",
                "model.dropout=0.5",
                "training.classes=[a,b,c]",
                "training.imageSize=16");
        assertThat(net.numParams()).isEqualTo(8_519L);
        assertThat(outputShape(net, 16)).containsExactly(2, 3, 16, 16);
        assertThat(layerTypes(net)).contains("BatchNormalization", "BilinearUpsampling2D", "DropoutLayer");
        var dropout = (DropoutLayer) net.getLayer("bottleneck_dropout").conf().getLayer();
        assertThat(((org.deeplearning4j.nn.conf.dropout.Dropout) dropout.getIDropout()).getP())
                .isEqualTo(0.5);
        assertThat(net.getLayer("enc1_conv1_bn").conf().getLayer()).isInstanceOf(BatchNormalization.class);
        assertThat(net.getLayer("dec1_up").conf().getLayer()).isInstanceOf(BilinearUpsampling2D.class);
    }

    /** A checkpoint of the bilinear network restores to the same network (the layer is LossPrism's own class). */
    @Test
    void bilinearNetworkSurvivesACheckpoint() throws java.io.IOException {
        ComputationGraph net =
                build("model.depth=2", "model.baseFilters=4", "model.upsampling=bilinear", "training.imageSize=16");
        var bytes = new java.io.ByteArrayOutputStream();
        org.deeplearning4j.util.ModelSerializer.writeModel(net, bytes, true);
        ComputationGraph restored = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                new java.io.ByteArrayInputStream(bytes.toByteArray()), true);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16).muli(255);

        assertThat(restored.getLayer("dec1_up").conf().getLayer()).isInstanceOf(BilinearUpsampling2D.class);
        assertThat(restored.outputSingle(images).data().asFloat())
                .containsExactly(net.outputSingle(images).data().asFloat());
    }

    /**
     * Depth 5, 2 filters: 2, 4, 8, 16, 32, bottleneck 64, 1 class, 32 px.
     * Encoder 94 + 224 + 880 + 3,488 + 13,888; bottleneck (32->64->64) 18,496+36,928 = 55,424;
     * decoder (up + pair) 8,224+27,712 = 35,936; 2,064+6,944 = 9,008; 520+1,744 = 2,264; 132+440 = 572;
     * 34+112 = 146; logits 2+1 = 3. Sum 121,927.
     */
    @Test
    void deepAndNarrow() {
        ComputationGraph net =
                build("model.depth=5", "model.baseFilters=2", "training.classes=[only]", "training.imageSize=32");
        assertThat(net.numParams()).isEqualTo(121_927L);
        assertThat(outputShape(net, 32)).containsExactly(2, 1, 32, 32);
    }

    private static List<String> layerTypes(ComputationGraph net) {
        List<String> types = new ArrayList<>();
        for (var layer : net.getLayers()) {
            types.add(layer.conf().getLayer().getClass().getSimpleName());
        }
        return types;
    }

    private static List<String> seedVertices() {
        List<String> names =
                new ArrayList<>(List.of("image", "scaled", "bottleneck_conv1", "bottleneck_conv2", "logits", "output"));
        for (int level = 1; level <= 4; level++) {
            names.addAll(List.of(
                    "enc" + level + "_conv1",
                    "enc" + level + "_conv2",
                    "enc" + level + "_pool",
                    "dec" + level + "_up",
                    "dec" + level + "_concat",
                    "dec" + level + "_conv1",
                    "dec" + level + "_conv2"));
        }
        return names;
    }
}
