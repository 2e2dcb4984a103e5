package io.lossprism.model.keras;

import io.lossprism.model.BilinearUpsampling2D;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * Keras's {@code UpSampling2D(size=2, interpolation="bilinear")} as {@link BilinearUpsampling2D}. The
 * importer's own UpSampling2D ignores the interpolation (it would repeat pixels), so
 * {@link KerasConfigTranslator} gives bilinear ones this class's registered name.
 */
public final class KerasBilinearUpSampling extends KerasLayer {

    public KerasBilinearUpSampling(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        BilinearUpsampling2D upsampling = new BilinearUpsampling2D();
        upsampling.setLayerName(layerName);
        this.layer = upsampling;
    }

    @Override
    public InputType getOutputType(InputType... inputTypes) {
        return layer.getOutputType(-1, inputTypes[0]);
    }
}
