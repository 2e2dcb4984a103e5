package io.lossprism.training;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ModelConfig;
import io.lossprism.config.TrainingConfig;
import io.lossprism.model.Dl4jModelFile;
import io.lossprism.model.ModelException;
import io.lossprism.model.ModelSource;
import io.lossprism.model.Network;
import io.lossprism.model.OutputContract;
import io.lossprism.model.keras.KerasModelFile;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Opens the network that {@code model.source} names and checks that it fits the data and the decomposition. */
public final class Networks {

    private Networks() {}

    /** The network to train; a {@link ModelException} (one line) when the file is unusable or does not fit. */
    public static Network open(AppConfig config) {
        TrainingConfig training = config.training();
        ModelConfig model = config.model();
        ModelSource source = ModelSource.of(model);
        source.checkUnchanged(model.sha256());
        ComputationGraph graph = switch (model.source()) {
            case ModelConfig.DL4J -> Dl4jModelFile.load(source.file());
            case ModelConfig.KERAS ->
                KerasModelFile.load(
                        source.file(),
                        training.imageSize(),
                        UNet.INPUT_CHANNELS,
                        UNet.outputLayer(training),
                        UNet.updater(training),
                        training.seed());
            default -> UNet.build(training, model);
        };
        Network network =
                OutputContract.inspect(graph, training.imageSize(), UNet.INPUT_CHANNELS, training.classCount(), source);
        double[] configured = UNet.classWeights(training);
        boolean uniform = Arrays.stream(configured).allMatch(w -> w == 1.0);
        if (!uniform && !Arrays.equals(configured, network.loss().spec().classWeights())) {
            // a saved network trains with the weights of its own loss layer
            throw new ModelException(source.origin() + ": its loss weighs the classes "
                    + Arrays.toString(network.loss().spec().classWeights()) + ", training.classWeights says "
                    + Arrays.toString(configured)
                    + "; leave training.classWeights empty to train with the file's");
        }
        return network;
    }
}
