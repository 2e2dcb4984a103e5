package io.lossprism.training;

import io.lossprism.data.Dataset;
import io.lossprism.data.SegmentationBatch;
import io.lossprism.data.Split;
import io.lossprism.loss.BatchShape;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.Layout;
import io.lossprism.objective.Objective;
import io.lossprism.objective.ObjectiveDecomposer;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The validation split, decomposed as one batch: its images and masks are generated once; each
 * evaluation runs inference batch by batch, gathers the logits, and decomposes them all at once, so
 * the report covers every validation image with the training loss's convention (DL4J divides by the
 * number of images, so the aggregate is comparable with a training batch's; a Dice part pools the
 * whole split as it pools a training batch).
 */
final class Validation {

    /** Most validation images decomposed per evaluation: their arrays stay in memory between evaluations. */
    static final int MAX_IMAGES = 256;

    private final SegmentationBatch all;
    private final int batchSize;
    private final int batches;
    private final long[] featureShape;
    private final float[] logits;
    private final ObjectiveDecomposer decomposer;
    private final String logitsVertex;

    Validation(Dataset data, int trainingBatchSize, Objective loss, String logitsVertex) {
        this.logitsVertex = logitsVertex;
        int images = Math.min(data.size(Split.VALIDATION), MAX_IMAGES);
        this.batchSize = Math.min(trainingBatchSize, images);
        this.batches = images / batchSize;
        int used = batches * batchSize;
        int size = data.imageSize();
        int classes = loss.classes();
        this.all = SegmentationBatch.allocate(used, size, classes);
        int[] indices = new int[used];
        for (int i = 0; i < used; i++) {
            indices[i] = i;
        }
        data.fill(Split.VALIDATION, indices, all);
        this.featureShape = new long[] {batchSize, UNet.INPUT_CHANNELS, size, size};
        this.logits = new float[all.masks().length];
        this.decomposer = new ObjectiveDecomposer(BatchShape.of(used, classes, size, size), Layout.NCHW, loss);
    }

    int images() {
        return all.size();
    }

    Decomposition evaluate(ComputationGraph network) {
        int imageValues = (int) (featureShape[1] * featureShape[2] * featureShape[3]);
        int logitValues = logits.length / all.size();
        float[] chunk = new float[batchSize * imageValues];
        for (int b = 0; b < batches; b++) {
            System.arraycopy(all.images(), b * batchSize * imageValues, chunk, 0, chunk.length);
            INDArray features = Nd4j.create(chunk, featureShape, 'c');
            // only the logits come out of the network's workspaces (feedForward detaches every layer's output)
            INDArray out = network.output(List.of(logitsVertex), false, new INDArray[] {features}, null)[0];
            DetachedArrays.free(features);
            float[] values = DetachedArrays.valuesThenFree(out);
            System.arraycopy(values, 0, logits, b * batchSize * logitValues, values.length);
        }
        return decomposer.decompose(all.masks(), logits);
    }
}
