package io.lossprism.model.keras;

import io.lossprism.model.ModelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the model configuration a Keras 3 {@code .h5} holds into the Keras 2 form that DL4J
 * 1.0.0-M2.1's importer reads, for the layers of a segmentation network, and checks what LossPrism
 * relies on. Works on the parsed JSON (maps, lists, strings, numbers); no DL4J.
 *
 * <p>What changes: inbound nodes {@code {"args": [tensor...], "kwargs": {}}} (tensors carrying a
 * {@code keras_history}) become {@code [[layer, node, index, {}], ...]}; dtype policy objects become
 * their name; {@code {module, class_name, config, registered_name}} objects (initializers) become
 * {@code {class_name, config}}; {@code batch_shape} becomes {@code batch_input_shape}; the model's input
 * and output layers become lists of {@code [layer, node, index]}; {@code keras_version} 2.
 *
 * <p>What LossPrism adds: {@code Dropout}'s {@code rate} also under {@code dropout}, the key the importer
 * reads (without it, it imports a dropout that keeps everything); {@code Rescaling} with both a scale and an offset becomes two Rescaling layers
 * (DL4J has a scale vertex and a shift vertex, not one for both); bilinear {@code UpSampling2D} gets its
 * own class name (the importer would read it as nearest-neighbour); the output layer's sigmoid becomes
 * linear, because LossPrism puts the sigmoid into its loss layer and reads the logits before it.
 */
public final class KerasConfigTranslator {

    /** Registered with the importer for bilinear {@code UpSampling2D}. */
    public static final String BILINEAR_UPSAMPLING = "LossPrismBilinearUpSampling2D";

    static final Set<String> SUPPORTED = Set.of(
            "InputLayer",
            "Conv2D",
            "Conv2DTranspose",
            "MaxPooling2D",
            "UpSampling2D",
            "Concatenate",
            "BatchNormalization",
            "Dropout",
            "Activation",
            "Rescaling");
    private static final Set<String> CHANNELS_LAST_LAYERS =
            Set.of("Conv2D", "Conv2DTranspose", "MaxPooling2D", "UpSampling2D");
    private static final String KERAS_2_VERSION = "2.15.0";

    private final String origin;
    private final int imageSize;
    private final int channels;

    /**
     * @param origin    names the file in messages, e.g. "model.file /data/unet.h5"
     * @param imageSize the training image size: an input of unknown height and width gets it
     * @param channels  the channels of the images LossPrism feeds
     */
    public KerasConfigTranslator(String origin, int imageSize, int channels) {
        this.origin = origin;
        this.imageSize = imageSize;
        this.channels = channels;
    }

    /** The translated model and the name of its output layer, whose activations are the logits. */
    public record Translation(Map<String, Object> model, String outputLayer) {}

    public Translation translate(Map<String, Object> model) {
        String className = String.valueOf(model.get("class_name"));
        if (!className.equals("Functional") && !className.equals("Model")) {
            throw fail("is a " + className + " model; LossPrism imports functional models (keras.Model(inputs,"
                    + " outputs), as a U-Net with skip connections is)");
        }
        Map<String, Object> config = map(model.get("config"), "config");
        String input = single(config.get("input_layers"), "input");
        String output = single(config.get("output_layers"), "output");

        List<Object> layers = new ArrayList<>();
        Map<String, String> renamed = new HashMap<>();
        for (Object item : list(config.get("layers"), "layers")) {
            Map<String, Object> layer = map(item, "layer");
            String name = String.valueOf(layer.get("name"));
            String type = String.valueOf(layer.get("class_name"));
            if (!SUPPORTED.contains(type)) {
                throw fail("layer '" + name + "' is a " + type + ", which LossPrism cannot import; supported: "
                        + String.join(", ", SUPPORTED.stream().sorted().toList()));
            }
            Map<String, Object> layerConfig = map(plain(layer.get("config")), "config of layer '" + name + "'");
            List<Object> inbound = inboundNodes(name, layer.get("inbound_nodes"), renamed);
            if (name.equals(output)) {
                toLogits(name, type, layerConfig);
            }
            List<Map<String, Object>> translated = translateLayer(name, type, layerConfig, inbound);
            if (translated.size() > 1) {
                renamed.put(
                        name,
                        String.valueOf(translated.get(translated.size() - 1).get("name")));
            }
            layers.addAll(translated);
        }

        Map<String, Object> translatedConfig = new LinkedHashMap<>();
        translatedConfig.put("name", config.get("name"));
        translatedConfig.put("layers", layers);
        translatedConfig.put("input_layers", List.of(List.of(input, 0, 0)));
        translatedConfig.put("output_layers", List.of(List.of(output, 0, 0)));
        Map<String, Object> translated = new LinkedHashMap<>();
        translated.put("class_name", "Model");
        translated.put("config", translatedConfig);
        translated.put("keras_version", KERAS_2_VERSION);
        translated.put("backend", "tensorflow");
        return new Translation(translated, output);
    }

    private List<Map<String, Object>> translateLayer(
            String name, String type, Map<String, Object> config, List<Object> inbound) {
        if (CHANNELS_LAST_LAYERS.contains(type)
                && !"channels_last".equals(config.getOrDefault("data_format", "channels_last"))) {
            throw fail("layer '" + name + "' uses data_format " + config.get("data_format")
                    + "; LossPrism imports channels_last models");
        }
        String className = type;
        switch (type) {
            case "InputLayer" -> inputShape(name, config);
            case "Conv2D" -> {
                if (number(config.getOrDefault("groups", 1)) != 1) {
                    throw fail("layer '" + name + "' is a grouped convolution (groups " + config.get("groups")
                            + "), which DL4J's importer does not read");
                }
            }
            case "UpSampling2D" -> className = upsampling(name, config);
            case "Concatenate", "BatchNormalization" -> channelAxis(name, type, config);
            case "Dropout" ->
                config.put("dropout", number(config.getOrDefault("rate", 0.0))); // where the importer looks
            case "Rescaling" -> {
                double scale = number(config.getOrDefault("scale", 1.0));
                double offset = number(config.getOrDefault("offset", 0.0));
                if (scale != 1.0 && offset != 0.0) {
                    // x * scale + offset as two layers: the second one takes the first's output
                    Map<String, Object> scaling = new LinkedHashMap<>(config);
                    scaling.put("offset", 0.0);
                    Map<String, Object> shifting = new LinkedHashMap<>(config);
                    shifting.put("name", name + "_offset");
                    shifting.put("scale", 1.0);
                    return List.of(
                            layer(name, type, scaling, inbound),
                            layer(
                                    name + "_offset",
                                    type,
                                    shifting,
                                    List.of(List.of(List.of(name, 0, 0, new LinkedHashMap<>())))));
                }
            }
            default -> {}
        }
        return List.of(layer(name, className, config, inbound));
    }

    private static Map<String, Object> layer(
            String name, String className, Map<String, Object> config, List<Object> inbound) {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("class_name", className);
        layer.put("config", config);
        layer.put("name", name);
        layer.put("inbound_nodes", inbound);
        return layer;
    }

    /** Keras 3's batch_shape (Keras 2: batch_input_shape), with the training size for unknown sides. */
    private void inputShape(String name, Map<String, Object> config) {
        Object shape =
                config.containsKey("batch_shape") ? config.remove("batch_shape") : config.get("batch_input_shape");
        List<Object> dims = new ArrayList<>(list(shape, "batch_shape of input '" + name + "'"));
        if (dims.size() != 4) {
            throw fail("input '" + name + "' has shape " + dims + "; LossPrism feeds images [N, " + imageSize + ", "
                    + imageSize + ", " + channels + "]");
        }
        for (int axis = 1; axis <= 2; axis++) {
            if (dims.get(axis) == null) {
                dims.set(axis, imageSize);
            } else if (number(dims.get(axis)) != imageSize) {
                throw fail("input '" + name + "' takes " + dims.get(1) + "x" + dims.get(2)
                        + " px images but training.imageSize is " + imageSize);
            }
        }
        if (dims.get(3) == null || number(dims.get(3)) != channels) {
            throw fail(
                    "input '" + name + "' takes " + dims.get(3) + " channels; LossPrism feeds " + channels + " (RGB)");
        }
        config.put("batch_input_shape", dims);
    }

    private String upsampling(String name, Map<String, Object> config) {
        String interpolation = String.valueOf(config.getOrDefault("interpolation", "nearest"));
        if (interpolation.equals("nearest")) {
            return "UpSampling2D";
        }
        if (interpolation.equals("bilinear") && List.of(2, 2).equals(intList(config.get("size")))) {
            return BILINEAR_UPSAMPLING;
        }
        throw fail("layer '" + name + "' upsamples by " + config.get("size") + " with interpolation " + interpolation
                + "; LossPrism imports nearest, and bilinear by 2");
    }

    private void channelAxis(String name, String type, Map<String, Object> config) {
        Object axis = config.get("axis");
        Object only = axis instanceof List<?> axes && axes.size() == 1 ? axes.get(0) : axis;
        if (!(only instanceof Number n) || (n.intValue() != -1 && n.intValue() != 3)) {
            throw fail("layer '" + name + "' (" + type + ") works along axis " + axis
                    + "; LossPrism imports it along the channel axis (-1) only");
        }
    }

    /** LossPrism's loss layer applies the sigmoid: the output layer must end in one, which is dropped here. */
    private void toLogits(String name, String type, Map<String, Object> config) {
        Object activation = config.get("activation");
        if (!"sigmoid".equals(activation)) {
            throw fail("its output layer '" + name + "' (" + type + ") has activation "
                    + (activation == null ? "none" : "'" + activation + "'")
                    + "; LossPrism trains one sigmoid output per class with binary cross-entropy, so the model must"
                    + " end in activation='sigmoid'");
        }
        config.put("activation", "linear");
    }

    /**
     * Keras 3 inbound nodes to Keras 2: one node per call, each a list of [layer, node, index, kwargs].
     * A reference to a layer that was split refers to its last part.
     */
    private List<Object> inboundNodes(String name, Object nodes, Map<String, String> renamed) {
        List<Object> converted = new ArrayList<>();
        for (Object node : list(nodes == null ? List.of() : nodes, "inbound_nodes of '" + name + "'")) {
            if (!(node instanceof Map<?, ?> call)) {
                throw fail("layer '" + name + "' has inbound nodes in a form other than Keras 3's");
            }
            List<Object> tensors = new ArrayList<>();
            collectTensors(call.get("args"), tensors);
            for (Object tensor : tensors) {
                @SuppressWarnings("unchecked")
                List<Object> reference = (List<Object>) tensor;
                reference.set(
                        0, renamed.getOrDefault(String.valueOf(reference.get(0)), String.valueOf(reference.get(0))));
            }
            converted.add(tensors);
        }
        if (converted.size() > 1) {
            throw fail("layer '" + name + "' is called " + converted.size() + " times (shared weights), which DL4J"
                    + " cannot express");
        }
        return converted;
    }

    private static void collectTensors(Object value, List<Object> tensors) {
        if (value instanceof Map<?, ?> map) {
            if ("__keras_tensor__".equals(map.get("class_name"))
                    && map.get("config") instanceof Map<?, ?> config
                    && config.get("keras_history") instanceof List<?> history
                    && history.size() == 3) {
                tensors.add(new ArrayList<>(
                        List.of(history.get(0), history.get(1), history.get(2), new LinkedHashMap<>())));
            } else {
                map.values().forEach(v -> collectTensors(v, tensors));
            }
        } else if (value instanceof List<?> items) {
            items.forEach(v -> collectTensors(v, tensors));
        }
    }

    /**
     * Keras 3's serialised objects in Keras 2 form: a dtype policy becomes its name, any other
     * {module, class_name, config, registered_name} object {class_name, config}.
     */
    static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.containsKey("class_name") && map.containsKey("config") && map.containsKey("module")) {
                if ("DTypePolicy".equals(map.get("class_name")) && map.get("config") instanceof Map<?, ?> policy) {
                    return policy.get("name");
                }
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("class_name", map.get("class_name"));
                object.put("config", plain(map.get("config")));
                return object;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return copy;
        }
        if (value instanceof List<?> items) {
            List<Object> copy = new ArrayList<>();
            items.forEach(v -> copy.add(plain(v)));
            return copy;
        }
        return value;
    }

    /** The one layer name of input_layers / output_layers: ['a', 0, 0] or [['a', 0, 0]]. */
    private String single(Object layers, String what) {
        List<Object> entries = list(layers, what + "_layers");
        if (!entries.isEmpty() && entries.get(0) instanceof String name) {
            return name;
        }
        if (entries.size() != 1) {
            throw fail("has " + entries.size() + " " + what + "s; LossPrism trains a network with one image " + what);
        }
        return String.valueOf(list(entries.get(0), what + "_layers").get(0));
    }

    private static List<Integer> intList(Object value) {
        return value instanceof List<?> items
                ? items.stream()
                        .map(v -> v instanceof Number n ? n.intValue() : -1)
                        .toList()
                : List.of();
    }

    private double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw fail("expected a number, found " + value);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw fail("its model configuration has no " + what + " object");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value, String what) {
        if (value instanceof List<?> items) {
            return (List<Object>) items;
        }
        throw fail("its model configuration has no " + what + " list");
    }

    private ModelException fail(String what) {
        return new ModelException(origin + ": " + what);
    }
}
