package io.lossprism.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.Codecs;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.data.Datasets;
import io.lossprism.runs.RunException;
import io.lossprism.runs.RunManager;
import io.lossprism.store.RunStore;
import io.lossprism.testing.TestApps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/** A run remembers its network file: the hash in its configuration, the summary in its folder, refusal when changed. */
class ModelRunsIT {

    private Vertx vertx;
    private RunStore store;
    private Path storage;
    private final List<TrainingStatus> statuses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        storage = TestApps.freshStorage();
        vertx = Vertx.vertx();
        Codecs.register(vertx.eventBus());
        store = RunStore.open(storage);
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> statuses.add(m.body()));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
        store.close();
    }

    /** A small network that fits the synthetic data at 32 px: 5 sigmoid outputs. */
    private static void saveNetwork(Path file, long seed) throws Exception {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(32, 32, 3, CNN2DFormat.NCHW))
                .addVertex("scaled", new ScaleVertex(1.0 / 255), "in")
                .addLayer(
                        "conv",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(4)
                                .activation(Activation.RELU)
                                .build(),
                        "scaled")
                .addLayer(
                        "logits",
                        new ConvolutionLayer.Builder(1, 1)
                                .nOut(5)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "conv")
                .addLayer(
                        "out",
                        new CnnLossLayer.Builder(new LossBinaryXENT())
                                .activation(Activation.SIGMOID)
                                .build(),
                        "logits")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        ModelSerializer.writeModel(graph, file.toFile(), true);
    }

    @Test
    void aRunRecordsItsFileAndRefusesToResumeOnceItChanged() throws Exception {
        Path file = storage.resolve("net.zip");
        saveNetwork(file, 1);
        byte[] original = Files.readAllBytes(file);
        List<String> values = List.of(
                "model.source=dl4j",
                "model.file=" + file,
                "training.imageSize=32",
                "training.batchSize=2",
                "data.trainImages=16",
                "data.validationImages=0",
                "training.epochs=1000",
                "monitor.samplesEveryIterations=0");
        List<String> all = new ArrayList<>(values);
        all.add("storage.dir=" + storage);
        AppConfig config = ConfigLoader.load(null, all);
        RunManager runs = new RunManager(
                config, ConfigLoader.explicitValues(null, values), store, c -> Datasets.open(c.data(), c.training()));

        await(vertx.deployVerticle(runs));
        String id = runs.currentRunId();
        awaitIteration(2);
        JsonObject stored = new JsonObject(store.run(id).orElseThrow().configJson());
        assertThat(stored.getString("model.sha256")).isEqualTo(new ModelSource("dl4j", file).fingerprint());
        JsonObject model = await(vertx.executeBlocking(() -> runs.model(id)));
        assertThat(model.getString("source")).isEqualTo("dl4j " + file);
        assertThat(model.getLong("parameters")).isEqualTo(3L * 9 * 4 + 4 + 4 * 5 + 5);
        assertThat(model.getInteger("layers")).isEqualTo(3);
        assertThat(model.getJsonArray("inputShape")).isEqualTo(new JsonArray(List.of(-1, 3, 32, 32)));
        assertThat(model.getJsonArray("outputShape")).isEqualTo(new JsonArray(List.of(-1, 5, 32, 32)));
        await(runs.control(id, "stop"));

        saveNetwork(file, 2); // another network under the same name
        Throwable refused = failure(runs.control(id, "resume"));
        assertThat(refused).isInstanceOf(RunException.class);
        assertThat(((RunException) refused).status()).isEqualTo(409);
        assertThat(refused.getMessage())
                .startsWith("model.file " + file + " has changed")
                .doesNotContain("\n");

        Files.write(file, original);
        statuses.clear();
        TrainingStatus resumed = await(runs.control(id, "resume"));
        assertThat(resumed.state()).isEqualTo(TrainingStatus.State.TRAINING);
        await(runs.control(id, "stop"));
    }

    private void awaitIteration(long iteration) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (statuses.stream().noneMatch(s -> s.iteration() >= iteration)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no status at iteration " + iteration + ": " + statuses);
            }
            Thread.sleep(50);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> future) throws Exception {
        try {
            await(future);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}
