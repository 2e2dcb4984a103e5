package io.lossprism.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Loads a network saved with DL4J's {@code ModelSerializer}: a ComputationGraph as it is, a
 * MultiLayerNetwork converted to the equivalent ComputationGraph (DL4J copies weights and updater
 * state). The updater state is loaded when the file has one, so training continues as saved.
 */
public final class Dl4jModelFile {

    private static final String CONFIGURATION = "configuration.json";

    private Dl4jModelFile() {}

    public static ComputationGraph load(Path file) {
        String origin = "model.file " + file;
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelException(origin + ": no such readable file");
        }
        try {
            if (isGraph(file, origin)) {
                return ModelSerializer.restoreComputationGraph(file.toFile(), true);
            }
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
            return network.toComputationGraph();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelException model) {
                throw model;
            }
            throw new ModelException(origin + ": DL4J cannot restore it: " + OutputContract.firstLine(e), e);
        }
    }

    /** A graph's configuration lists vertices, a multi-layer network's a list of layer configurations. */
    private static boolean isGraph(Path file, String origin) throws IOException {
        JsonNode configuration;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(CONFIGURATION);
            if (entry == null) {
                throw new ModelException(
                        origin + ": not a DL4J model (a ModelSerializer zip holds " + CONFIGURATION + ")");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                configuration = new ObjectMapper().readTree(in);
            }
        } catch (java.util.zip.ZipException e) {
            throw new ModelException(origin + ": not a DL4J model (not a zip file: " + e.getMessage() + ")", e);
        }
        if (configuration.has("vertices")) {
            return true;
        }
        if (configuration.has("confs")) {
            return false;
        }
        throw new ModelException(
                origin + ": " + CONFIGURATION + " describes neither a ComputationGraph nor a" + " MultiLayerNetwork");
    }
}
