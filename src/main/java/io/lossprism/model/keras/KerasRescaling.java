package io.lossprism.model.keras;

import java.util.Map;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLayerUtils;

/**
 * Keras's {@code Rescaling} ({@code x * scale + offset}), which DL4J's importer does not know, as a scale
 * or a shift vertex. {@link KerasConfigTranslator} splits a layer with both into two, so each instance
 * has one of them. Registered with the importer as a custom layer.
 */
public final class KerasRescaling extends KerasLayer {

    public KerasRescaling(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> config = KerasLayerUtils.getInnerLayerConfigFromConfig(layerConfig, conf);
        double scale = scalar(config, "scale", 1.0);
        double offset = scalar(config, "offset", 0.0);
        this.vertex = offset == 0.0 ? new ScaleVertex(scale) : new ShiftVertex(offset);
    }

    private double scalar(Map<String, Object> config, String key, double absent)
            throws UnsupportedKerasConfigurationException {
        Object value = config.getOrDefault(key, absent);
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new UnsupportedKerasConfigurationException(
                "Rescaling layer '" + layerName + "' has a " + key + " of " + value + "; LossPrism imports one number");
    }

    @Override
    public InputType getOutputType(InputType... inputTypes) {
        return inputTypes[0];
    }
}
