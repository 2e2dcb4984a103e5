package io.lossprism.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.training.Networks;
import io.lossprism.training.StepResult;
import io.lossprism.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Networks saved with ModelSerializer: loaded as saved, checked, refused on one line when they do not fit. */
class Dl4jModelIT {

    private static final int SIZE = 32;

    @TempDir
    Path dir;

    private static AppConfig config(Path file, String... overrides) {
        List<String> all = new ArrayList<>(List.of(
                "model.source=dl4j",
                "model.file=" + file,
                "training.imageSize=" + SIZE,
                "training.batchSize=2",
                "data.trainImages=8",
                "data.validationImages=0",
                "training.classes=[a,b,c]"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all);
    }

    /** image / 255 -> 3x3 ReLU conv -> 1x1 conv "scores" -> sigmoid + loss, NCHW. */
    private static ComputationGraph graph(int inChannels, int classes, Activation activation, ILossFunction loss) {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.01, 0.9))
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("pixels")
                .setInputTypes(InputType.convolutional(SIZE, SIZE, inChannels, CNN2DFormat.NCHW))
                .addVertex("scaled", new ScaleVertex(1.0 / 255), "pixels")
                .addLayer(
                        "features",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(4)
                                .activation(Activation.RELU)
                                .build(),
                        "scaled")
                .addLayer(
                        "scores",
                        new ConvolutionLayer.Builder(1, 1)
                                .nOut(classes)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "features")
                .addLayer(
                        "loss",
                        new CnnLossLayer.Builder(loss).activation(activation).build(),
                        "scores")
                .setOutputs("loss")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private Path save(org.deeplearning4j.nn.api.Model model, boolean withUpdater) throws IOException {
        Path file = dir.resolve("net-" + System.nanoTime() + ".zip");
        ModelSerializer.writeModel(model, file.toFile(), withUpdater);
        return file;
    }

    private static DataSet batch(int classes) {
        Nd4j.getRandom().setSeed(2);
        return new DataSet(
                Nd4j.rand(DataType.FLOAT, 2, 3, SIZE, SIZE).muli(255),
                Nd4j.rand(DataType.FLOAT, 2, classes, SIZE, SIZE).gt(0.5).castTo(DataType.FLOAT));
    }

    @Test
    void aGraphLoadsAsSavedWithItsUpdaterAndTrains() throws IOException {
        ComputationGraph saved = graph(3, 3, Activation.SIGMOID, new LossBinaryXENT());
        saved.fit(batch(3)); // momentum state that must come back
        Path file = save(saved, true);

        Network network = Networks.open(config(file));

        assertThat(network.logitsVertex()).isEqualTo("scores");
        assertThat(network.graph().params().toFloatVector())
                .containsExactly(saved.params().toFloatVector());
        assertThat(network.graph().getUpdater().getStateViewArray().toFloatVector())
                .containsExactly(saved.getUpdater().getStateViewArray().toFloatVector());
        var updater = ((BaseLayer) network.graph().getLayer("features").conf().getLayer()).getIUpdater();
        assertThat(updater).isEqualTo(new Nesterovs(0.01, 0.9)); // its own, not training.optimizer's Adam
        assertThat(network.summary().toMap())
                .containsEntry("source", "dl4j " + file)
                .containsEntry("layers", 3)
                .containsEntry("parameters", 3L * 9 * 4 + 4 + 4 * 3 + 3);

        Trainer trainer = new Trainer(config(file));
        StepResult step = trainer.step();
        double terms = step.decomposition().classes().stream()
                .mapToDouble(ClassBreakdown::loss)
                .sum();
        assertThat(terms).isCloseTo(step.reportedLoss(), within(1e-4 * step.reportedLoss()));
    }

    @Test
    void aMultiLayerNetworkBecomesTheSameGraph() throws IOException {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.1))
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new ConvolutionLayer.Builder(1, 1)
                        .nOut(3)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new CnnLossLayer.Builder(new LossBinaryXENT())
                        .activation(Activation.SIGMOID)
                        .build())
                .setInputType(InputType.convolutional(SIZE, SIZE, 3, CNN2DFormat.NCHW))
                .build();
        MultiLayerNetwork saved = new MultiLayerNetwork(conf);
        saved.init();
        Path file = save(saved, false);

        Network network = Networks.open(config(file));
        INDArray images = batch(3).getFeatures();

        assertThat(network.graph().outputSingle(images).dup('c').data().asFloat())
                .containsExactly(saved.output(images).dup('c').data().asFloat());
    }

    @Test
    void theLossWeightsComeFromTheFile() throws IOException {
        Path file = save(
                graph(3, 3, Activation.SIGMOID, new LossBinaryXENT(Nd4j.create(new double[] {1, 2, 3}, 1, 3))), true);

        assertThat(Networks.open(config(file)).loss().spec().classWeights()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> Networks.open(config(file, "training.classWeights=[1,1,5]")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("its loss weighs the classes [1.0, 2.0, 3.0]");
    }

    @Test
    void anotherClassCountIsRefused() throws IOException {
        Path file = save(graph(3, 3, Activation.SIGMOID, new LossBinaryXENT()), false);

        assertThatThrownBy(() -> Networks.open(config(file, "training.classes=[a,b,c,d]")))
                .isInstanceOf(ModelException.class)
                .hasMessage("model.file " + file + ": gives [N, 3, 32, 32] at 'scores'; LossPrism needs [N, 4, 32, 32]"
                        + " (NCHW, one channel per class of training.classes)");
    }

    @Test
    void softmaxWithCrossEntropyIsRefusedNamingIt() throws IOException {
        Path file = save(graph(3, 3, Activation.SOFTMAX, new LossMCXENT()), false);

        assertThatThrownBy(() -> Networks.open(config(file)))
                .isInstanceOf(ModelException.class)
                .hasMessage("model.file " + file + ": its output layer 'loss' computes LossMCXENT after"
                        + " ActivationSoftmax; LossPrism decomposes sigmoid with binary cross-entropy"
                        + " (ActivationSigmoid, LossBinaryXENT)");
    }

    @Test
    void anotherInputChannelCountIsRefused() throws IOException {
        Path file = save(graph(1, 3, Activation.SIGMOID, new LossBinaryXENT()), false);

        assertThatThrownBy(() -> Networks.open(config(file)))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("model.file " + file + ": does not take images of shape [N, 3, 32, 32]")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aFileThatIsNoModelIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a network");
        Path missing = dir.resolve("missing.zip");

        assertThatThrownBy(() -> Networks.open(config(text)))
                .hasMessageStartingWith("model.file " + text + ": not a DL4J model");
        assertThatThrownBy(() -> Networks.open(config(missing)))
                .hasMessage("model.file " + missing + ": no such readable file");
    }
}
