package io.lossprism.model.keras;

import io.lossprism.model.ModelException;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Turns an imported Keras graph (channels-last) into the graph LossPrism trains: the same layers and
 * weights in NCHW, LossPrism's updater on every layer, no keep-everything dropout, and its loss layer on
 * top of the logits.
 *
 * <p>Why rebuild: the oneDNN helpers crash this DL4J release with NHWC activations, and the importer's
 * own upsampling layer ignores the data format. DL4J keeps convolution weights as [out, in, h, w] in
 * both formats, so the imported parameters are copied unchanged; only the activation layout flips.
 */
final class NchwGraph {

    private NchwGraph() {}

    /**
     * @param logits     the vertex whose output (pre-sigmoid) the loss layer takes
     * @param lossLayer  the loss layer to put on top, named {@link #outputName} of the result
     */
    static ComputationGraph rebuild(
            ComputationGraph imported,
            String logits,
            org.deeplearning4j.nn.conf.layers.Layer lossLayer,
            IUpdater updater,
            long seed,
            int imageSize,
            int channels,
            String origin) {
        ComputationGraphConfiguration conf = imported.getConfiguration();
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater)
                .graphBuilder()
                .addInputs(conf.getNetworkInputs())
                .setInputTypes(InputType.convolutional(imageSize, imageSize, channels, CNN2DFormat.NCHW));
        Map<String, GraphVertex> vertices = conf.getVertices();
        for (String name : conf.getTopologicalOrderStr()) {
            if (conf.getNetworkInputs().contains(name)) {
                continue;
            }
            String[] inputs = conf.getVertexInputs().get(name).toArray(String[]::new);
            GraphVertex vertex = vertices.get(name);
            if (vertex instanceof LayerVertex layerVertex) {
                if (layerVertex.getPreProcessor() != null) {
                    throw new ModelException(origin + ": the importer put a "
                            + layerVertex.getPreProcessor().getClass().getSimpleName() + " before layer '" + name
                            + "', which LossPrism does not expect in a convolutional network");
                }
                graph.addLayer(name, nchw(layerVertex.getLayerConf().getLayer().clone(), updater), inputs);
            } else if (vertex instanceof MergeVertex) {
                graph.addVertex(name, new MergeVertex(), inputs); // NCHW: channels are axis 1, the default
            } else if (vertex instanceof ScaleVertex || vertex instanceof ShiftVertex) {
                graph.addVertex(name, vertex.clone(), inputs);
            } else {
                throw new ModelException(origin + ": the importer made '" + name + "' a "
                        + vertex.getClass().getSimpleName() + ", which LossPrism cannot turn into NCHW");
            }
        }
        String output = outputName(conf);
        graph.addLayer(output, lossLayer, logits);
        graph.setOutputs(output);

        ComputationGraph network = new ComputationGraph(graph.build());
        network.init();
        for (Layer layer : imported.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                network.getLayer(name).setParam(param.getKey(), param.getValue());
            }
        }
        return network;
    }

    /** "output", unless the Keras model already has a layer of that name. */
    static String outputName(ComputationGraphConfiguration conf) {
        String name = "output";
        while (conf.getVertices().containsKey(name)) {
            name = name + "_loss";
        }
        return name;
    }

    /** The layer with NCHW activations and the given updater; weights keep their layout. */
    private static org.deeplearning4j.nn.conf.layers.Layer nchw(
            org.deeplearning4j.nn.conf.layers.Layer layer, IUpdater updater) {
        if (layer instanceof ConvolutionLayer conv) { // Deconvolution2D too
            conv.setCnn2dDataFormat(CNN2DFormat.NCHW);
        } else if (layer instanceof SubsamplingLayer pooling) {
            pooling.setCnn2dDataFormat(CNN2DFormat.NCHW);
        } else if (layer instanceof Upsampling2D upsampling) {
            upsampling.setFormat(CNN2DFormat.NCHW);
        } else if (layer instanceof BatchNormalization norm) {
            norm.setCnn2DFormat(CNN2DFormat.NCHW);
        }
        if (layer instanceof BaseLayer base) {
            base.setIUpdater(updater.clone());
            base.setBiasUpdater(null);
        }
        if (layer.getIDropout() instanceof Dropout dropout && dropout.getPSchedule() == null && dropout.getP() >= 1.0) {
            // the importer gives every layer a dropout that keeps everything; DL4J would still draw and apply a
            // mask per layer and step
            layer.setIDropout(null);
        }
        return layer;
    }
}
