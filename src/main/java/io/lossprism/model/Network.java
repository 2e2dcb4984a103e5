package io.lossprism.model;

import io.lossprism.objective.Objective;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A network ready to train and to be decomposed: the graph, the vertex whose activations are the
 * pre-sigmoid scores (read inside {@code fit()}), the loss its output layer computes, and its summary.
 */
public record Network(ComputationGraph graph, String logitsVertex, Objective loss, ModelSummary summary) {

    public Network {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(logitsVertex, "logitsVertex");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(summary, "summary");
    }
}
