package io.lossprism.model.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.model.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Keras 3 to Keras 2 rewrite on small configurations written the way Keras 3.15 writes them. */
class KerasConfigTranslatorTest {

    private final KerasConfigTranslator translator = new KerasConfigTranslator("model.file m.h5", 32, 3);

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> tensor(String layer) {
        return map(
                "class_name",
                "__keras_tensor__",
                "config",
                map(
                        "shape",
                        Arrays.asList(null, 32, 32, 3),
                        "dtype",
                        "float32",
                        "keras_history",
                        List.of(layer, 0, 0)));
    }

    private static Map<String, Object> policy() {
        return map(
                "module",
                "keras",
                "class_name",
                "DTypePolicy",
                "config",
                map("name", "float32"),
                "registered_name",
                null);
    }

    private static Map<String, Object> layer(String type, String name, Map<String, Object> config, Object... inputs) {
        config.put("name", name);
        config.put("dtype", policy());
        List<Object> args = new ArrayList<>();
        for (Object input : inputs) {
            args.add(
                    input instanceof List<?> many
                            ? many.stream().map(l -> tensor((String) l)).toList()
                            : tensor((String) input));
        }
        List<Object> nodes = inputs.length == 0 ? List.of() : List.of(map("args", args, "kwargs", map()));
        return map("class_name", type, "config", config, "name", name, "inbound_nodes", nodes);
    }

    private static Map<String, Object> model(String output, Map<?, ?>... layers) {
        return map(
                "class_name",
                "Functional",
                "config",
                map(
                        "name",
                        "net",
                        "trainable",
                        true,
                        "layers",
                        new ArrayList<>(List.of(layers)),
                        "input_layers",
                        List.of("in", 0, 0),
                        "output_layers",
                        List.of(output, 0, 0)));
    }

    private static Map<String, Object> input() {
        return layer("InputLayer", "in", map("batch_shape", Arrays.asList(null, null, null, 3)));
    }

    private static Map<String, Object> conv(String name, String activation, Object input) {
        return layer(
                "Conv2D",
                name,
                map(
                        "filters",
                        2,
                        "kernel_size",
                        List.of(1, 1),
                        "data_format",
                        "channels_last",
                        "groups",
                        1,
                        "activation",
                        activation,
                        "kernel_initializer",
                        map(
                                "module",
                                "keras.initializers",
                                "class_name",
                                "GlorotUniform",
                                "config",
                                map("seed", null),
                                "registered_name",
                                null)),
                input);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> layers(KerasConfigTranslator.Translation translation) {
        return (List<Map<String, Object>>)
                ((Map<String, Object>) translation.model().get("config")).get("layers");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, Object> layer) {
        return (Map<String, Object>) layer.get("config");
    }

    @Test
    void writesTheKeras2FormTheImporterReads() {
        var translation = translator.translate(model(
                "out",
                input(),
                conv("c1", "relu", "in"),
                layer("Concatenate", "cat", map("axis", -1), List.of("c1", "in")),
                conv("out", "sigmoid", "cat")));

        assertThat(translation.model()).containsEntry("class_name", "Model").containsEntry("keras_version", "2.15.0");
        assertThat(translation.outputLayer()).isEqualTo("out");
        @SuppressWarnings("unchecked") // the translation's JSON objects are string-keyed maps
        Map<String, Object> modelConfig =
                (Map<String, Object>) translation.model().get("config");
        assertThat(modelConfig.get("input_layers")).isEqualTo(List.of(List.of("in", 0, 0)));
        assertThat(modelConfig.get("output_layers")).isEqualTo(List.of(List.of("out", 0, 0)));
        List<Map<String, Object>> layers = layers(translation);
        assertThat(config(layers.get(0)))
                .containsEntry("batch_input_shape", Arrays.asList(null, 32, 32, 3))
                .doesNotContainKey("batch_shape");
        assertThat(config(layers.get(1)))
                .containsEntry("dtype", "float32")
                .containsEntry("kernel_initializer", map("class_name", "GlorotUniform", "config", map("seed", null)));
        assertThat(layers.get(2).get("inbound_nodes"))
                .isEqualTo(List.of(List.of(List.of("c1", 0, 0, map()), List.of("in", 0, 0, map()))));
        assertThat(config(layers.get(3))).containsEntry("activation", "linear"); // the loss layer applies the sigmoid
    }

    @Test
    void aRescalingWithScaleAndOffsetBecomesTwoLayersAndItsUsersFollow() {
        var translation = translator.translate(model(
                "out",
                input(),
                layer("Rescaling", "rescale", map("scale", 0.5, "offset", -1.0), "in"),
                conv("out", "sigmoid", "rescale")));

        List<Map<String, Object>> layers = layers(translation);
        assertThat(layers).extracting(l -> l.get("name")).containsExactly("in", "rescale", "rescale_offset", "out");
        assertThat(config(layers.get(1))).containsEntry("scale", 0.5).containsEntry("offset", 0.0);
        assertThat(config(layers.get(2))).containsEntry("scale", 1.0).containsEntry("offset", -1.0);
        assertThat(layers.get(2).get("inbound_nodes")).isEqualTo(List.of(List.of(List.of("rescale", 0, 0, map()))));
        assertThat(layers.get(3).get("inbound_nodes"))
                .isEqualTo(List.of(List.of(List.of("rescale_offset", 0, 0, map()))));
    }

    @Test
    void aDropoutRateIsPutWhereTheImporterReadsIt() {
        var translation = translator.translate(model(
                "out",
                input(),
                layer("Dropout", "drop", map("rate", 0.3, "seed", null), "in"),
                conv("out", "sigmoid", "drop")));

        assertThat(config(layers(translation).get(1)))
                .containsEntry("rate", 0.3)
                .containsEntry("dropout", 0.3);
    }

    @Test
    void bilinearUpsamplingGetsItsOwnClassNearestKeepsItsOwn() {
        var translation = translator.translate(model(
                "out",
                input(),
                layer("UpSampling2D", "bi", map("size", List.of(2, 2), "interpolation", "bilinear"), "in"),
                layer("UpSampling2D", "near", map("size", List.of(2, 2), "interpolation", "nearest"), "bi"),
                conv("out", "sigmoid", "near")));

        assertThat(layers(translation))
                .extracting(l -> l.get("class_name"))
                .containsExactly("InputLayer", KerasConfigTranslator.BILINEAR_UPSAMPLING, "UpSampling2D", "Conv2D");
    }

    @Test
    void refusesWhatItCannotImportOnOneLine() {
        assertThatThrownBy(() -> translator.translate(model(
                        "out",
                        input(),
                        layer("LayerNormalization", "norm", map("axis", -1), "in"),
                        conv("out", "sigmoid", "norm"))))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("model.file m.h5: layer 'norm' is a LayerNormalization, which LossPrism"
                        + " cannot import; supported: Activation, BatchNormalization, Concatenate, Conv2D");
        assertThatThrownBy(() -> translator.translate(model("out", input(), conv("out", "softmax", "in"))))
                .hasMessageContaining("output layer 'out' (Conv2D) has activation 'softmax'");
        assertThatThrownBy(() -> translator.translate(model(
                        "out",
                        input(),
                        layer("UpSampling2D", "up", map("size", List.of(3, 3), "interpolation", "bilinear"), "in"),
                        conv("out", "sigmoid", "up"))))
                .hasMessageContaining("layer 'up' upsamples by [3, 3] with interpolation bilinear");
        assertThatThrownBy(() -> translator.translate(model(
                        "out",
                        input(),
                        layer("Concatenate", "cat", map("axis", 1), List.of("in", "in")),
                        conv("out", "sigmoid", "cat"))))
                .hasMessageContaining("layer 'cat' (Concatenate) works along axis 1");
        assertThatThrownBy(() -> translator.translate(map("class_name", "Sequential", "config", map())))
                .hasMessageContaining("is a Sequential model");
    }

    @Test
    void aSharedLayerAndAFixedInputOfAnotherSizeAreRefused() {
        Map<String, Object> shared = conv("c", "relu", "in");
        Map<String, Object> twice = new LinkedHashMap<>(shared);
        Object node = ((List<?>) shared.get("inbound_nodes")).get(0);
        twice.put("inbound_nodes", List.of(node, node));
        assertThatThrownBy(() -> translator.translate(model("c", input(), twice)))
                .hasMessageContaining("layer 'c' is called 2 times");

        Map<String, Object> fixed = layer("InputLayer", "in", map("batch_shape", Arrays.asList(null, 64, 64, 3)));
        assertThatThrownBy(() -> translator.translate(model("out", fixed, conv("out", "sigmoid", "in"))))
                .hasMessage("model.file m.h5: input 'in' takes 64x64 px images but training.imageSize is 32");
        Map<String, Object> grey = layer("InputLayer", "in", map("batch_shape", Arrays.asList(null, 32, 32, 1)));
        assertThatThrownBy(() -> translator.translate(model("out", grey, conv("out", "sigmoid", "in"))))
                .hasMessage("model.file m.h5: input 'in' takes 1 channels; LossPrism feeds 3 (RGB)");
    }
}
