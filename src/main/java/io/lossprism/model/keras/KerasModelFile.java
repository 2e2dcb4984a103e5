package io.lossprism.model.keras;

import io.lossprism.model.ModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Imports a Keras 3 {@code .h5} (written by {@code model.save("m.h5")}) with DL4J's own importer: reads
 * the model configuration, lets {@link KerasConfigTranslator} put it into the form the importer reads,
 * imports configuration and weights, and rebuilds the result in NCHW with LossPrism's loss layer
 * ({@link NchwGraph}). Keras 3 stores weights as {@code model_weights/<layer>/<layer>/<name>}, which the
 * importer's Keras 2 reader finds as they are.
 */
public final class KerasModelFile {

    private static final String MODEL_CONFIG = "model_config";
    private static final String KERAS_VERSION = "keras_version";

    private KerasModelFile() {}

    /**
     * @param lossLayer the loss layer the network trains with, put on top of the Keras model's logits
     * @param updater   the updater every layer gets (the file's training configuration is not used)
     */
    public static ComputationGraph load(
            Path file, int imageSize, int channels, Layer lossLayer, IUpdater updater, long seed) {
        String origin = "model.file " + file;
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelException(origin + ": no such readable file");
        }
        registerLayers();
        Map<String, Object> config = readConfig(file, origin);
        KerasConfigTranslator.Translation translation =
                new KerasConfigTranslator(origin, imageSize, channels).translate(config);
        ComputationGraph imported;
        try {
            String json = new ObjectMapper().writeValueAsString(translation.model());
            KerasModel model = new KerasModel()
                    .modelBuilder()
                    .modelJson(json)
                    .weightsHdf5Filename(file.toString())
                    .enforceTrainingConfig(false)
                    .buildModel();
            imported = model.getComputationGraph(true);
        } catch (InvalidKerasConfigurationException
                | UnsupportedKerasConfigurationException
                | java.io.IOException
                | RuntimeException e) {
            throw new ModelException(origin + ": DL4J's Keras importer refused it: " + firstLine(e), e);
        }
        return NchwGraph.rebuild(
                imported, translation.outputLayer(), lossLayer, updater, seed, imageSize, channels, origin);
    }

    private static Map<String, Object> readConfig(Path file, String origin) {
        synchronized (Hdf5Archive.LOCK_OBJECT) { // the HDF5 library is not thread-safe
            return readConfigLocked(file, origin);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readConfigLocked(Path file, String origin) {
        Hdf5Archive archive;
        try {
            archive = new Hdf5Archive(file.toString());
        } catch (RuntimeException e) {
            throw new ModelException(
                    origin + ": not an HDF5 file; save the model with model.save(\"model.h5\")"
                            + " (the .keras format is a zip) (" + firstLine(e) + ")",
                    e);
        }
        try {
            if (!archive.hasAttribute(MODEL_CONFIG)) {
                throw new ModelException(origin + ": holds no model configuration; save the whole model with"
                        + " model.save(\"model.h5\"), not only its weights");
            }
            String version = archive.hasAttribute(KERAS_VERSION) ? archive.readAttributeAsString(KERAS_VERSION) : "?";
            if (!version.startsWith("3.")) {
                throw new ModelException(origin + ": written by Keras " + version + "; LossPrism imports files"
                        + " written by Keras 3 (load it in Keras 3 and save it again)");
            }
            return new ObjectMapper().readValue(archive.readAttributeAsJson(MODEL_CONFIG), Map.class);
        } catch (UnsupportedKerasConfigurationException | java.io.IOException | RuntimeException e) {
            if (e instanceof ModelException model) {
                throw model;
            }
            throw new ModelException(origin + ": unreadable model configuration (" + firstLine(e) + ")", e);
        } finally {
            archive.close();
        }
    }

    /** The layers LossPrism maps itself; the importer keeps custom layers in a static table. */
    private static synchronized void registerLayers() {
        KerasLayer.registerCustomLayer("Rescaling", KerasRescaling.class);
        KerasLayer.registerCustomLayer(KerasConfigTranslator.BILINEAR_UPSAMPLING, KerasBilinearUpSampling.class);
    }

    static String firstLine(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.strip().lines().findFirst().orElse(message);
    }
}
