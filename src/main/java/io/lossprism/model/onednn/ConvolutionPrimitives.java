package io.lossprism.model.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import io.lossprism.model.onednn.ScratchBuffers.Role;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.Pointer;

/**
 * oneDNN's forward and backward convolution for one geometry, float32, plain NCHW arrays in and out.
 * Direct convolution, never Winograd (at 8-16 channels its backward pass took four times the direct
 * one's time here), layouts chosen by oneDNN, each array converted at most once per call; except 1x1
 * kernels, which run on the plain layout itself (oneDNN's gemm: the U-Net's 8-to-5-channel logits took
 * 1 ms there for the weight gradient against 8.6 ms blocked, where 5 channels are padded to 16, before the
 * conversions). The backward primitives are built on the first backward call (inference never needs them).
 */
final class ConvolutionPrimitives {

    private final ConvolutionGeometry geometry;
    private final engine engine;
    private final convolution_forward.primitive_desc forwardDescriptor;
    private final convolution_forward forward;
    private final Port source;
    private final Port weights;
    private final Port bias;
    private final Port destination;
    private final IntMemoryMap forwardArguments = new IntMemoryMap();
    private Backward backward;

    /** @throws RuntimeException (oneDNN's error) when oneDNN has no direct convolution for it */
    ConvolutionPrimitives(ConvolutionGeometry geometry, engine engine) {
        this.geometry = geometry;
        this.engine = engine;
        forwardDescriptor = new convolution_forward.primitive_desc(
                new convolution_forward.desc(
                        prop_kind.forward_training,
                        algorithm.convolution_direct,
                        activations(geometry.source()),
                        any(geometry.weights()),
                        plain(geometry.bias(), memory.format_tag.x),
                        activations(geometry.destination()),
                        geometry.strides(),
                        geometry.dilation(),
                        geometry.paddingBefore(),
                        geometry.paddingAfter()),
                engine);
        forward = new convolution_forward(forwardDescriptor);
        source = new Port(plainSource(), forwardDescriptor.src_desc(), engine, Role.SOURCE, true);
        weights = new Port(plainWeights(), forwardDescriptor.weights_desc(), engine, Role.WEIGHTS, true);
        bias = new Port(plainBias(), forwardDescriptor.bias_desc(), engine, Role.BIAS, true);
        destination = new Port(plainDestination(), forwardDescriptor.dst_desc(), engine, Role.DESTINATION, false);
        forwardArguments.put(DNNL_ARG_SRC, source.primitiveSide());
        forwardArguments.put(DNNL_ARG_WEIGHTS, weights.primitiveSide());
        forwardArguments.put(DNNL_ARG_BIAS, bias.primitiveSide());
        forwardArguments.put(DNNL_ARG_DST, destination.primitiveSide());
    }

    ConvolutionGeometry geometry() {
        return geometry;
    }

    /** dst = conv(src, weights) + bias; the pointers address plain NCHW / [out, in, kh, kw] / [out] floats. */
    void forward(OneDnnRuntime runtime, Pointer src, Pointer weightData, Pointer biasData, Pointer dst) {
        ScratchBuffers scratch = runtime.scratch();
        source.bind(src, scratch);
        weights.bind(weightData, scratch);
        bias.bind(biasData, scratch);
        destination.bind(dst, scratch);
        source.load(runtime.stream());
        weights.load(runtime.stream());
        forward.execute(runtime.stream(), forwardArguments);
        destination.store(runtime.stream());
        runtime.stream()._wait();
    }

    /**
     * The gradients of the input, the weights and the bias from the output gradient; {@code diffBias} may
     * address a scratch buffer when the layer has no bias.
     */
    void backward(
            OneDnnRuntime runtime,
            Pointer src,
            Pointer weightData,
            Pointer diffDst,
            Pointer diffSrc,
            Pointer diffWeights,
            Pointer diffBias) {
        if (backward == null) {
            backward = new Backward();
        }
        backward.run(runtime, src, weightData, diffDst, diffSrc, diffWeights, diffBias);
    }

    /** The two backward primitives and their arguments. */
    private final class Backward {
        private final convolution_backward_data data;
        private final convolution_backward_weights weightsGradient;
        private final Port dataDiffDst;
        private final Port dataWeights;
        private final Port diffSource;
        private final Port weightsSource;
        private final Port weightsDiffDst;
        private final Port diffWeights;
        private final Port diffBias;
        private final boolean sharedDiffDst;
        private final IntMemoryMap dataArguments = new IntMemoryMap();
        private final IntMemoryMap weightsArguments = new IntMemoryMap();

        Backward() {
            convolution_backward_data.primitive_desc dataDescriptor = new convolution_backward_data.primitive_desc(
                    new convolution_backward_data.desc(
                            algorithm.convolution_direct,
                            activations(geometry.source()),
                            any(geometry.weights()),
                            activations(geometry.destination()),
                            geometry.strides(),
                            geometry.dilation(),
                            geometry.paddingBefore(),
                            geometry.paddingAfter()),
                    engine,
                    forwardDescriptor);
            convolution_backward_weights.primitive_desc weightsDescriptor =
                    new convolution_backward_weights.primitive_desc(
                            new convolution_backward_weights.desc(
                                    algorithm.convolution_direct,
                                    activations(geometry.source()),
                                    any(geometry.weights()),
                                    plain(geometry.bias(), memory.format_tag.x),
                                    activations(geometry.destination()),
                                    geometry.strides(),
                                    geometry.dilation(),
                                    geometry.paddingBefore(),
                                    geometry.paddingAfter()),
                            engine,
                            forwardDescriptor);
            data = new convolution_backward_data(dataDescriptor);
            weightsGradient = new convolution_backward_weights(weightsDescriptor);
            dataDiffDst =
                    new Port(plainDestination(), dataDescriptor.diff_dst_desc(), engine, Role.DIFF_DESTINATION, true);
            // One conversion of the output gradient serves both primitives when they want the same layout.
            sharedDiffDst = weightsDescriptor.diff_dst_desc().equals(dataDescriptor.diff_dst_desc());
            weightsDiffDst = sharedDiffDst
                    ? dataDiffDst
                    : new Port(
                            plainDestination(),
                            weightsDescriptor.diff_dst_desc(),
                            engine,
                            Role.DIFF_DESTINATION_FOR_WEIGHTS,
                            true);
            dataWeights = new Port(plainWeights(), dataDescriptor.weights_desc(), engine, Role.WEIGHTS_FOR_DATA, true);
            diffSource = new Port(plainSource(), dataDescriptor.diff_src_desc(), engine, Role.DIFF_SOURCE, false);
            weightsSource = new Port(plainSource(), weightsDescriptor.src_desc(), engine, Role.SOURCE, true);
            diffWeights =
                    new Port(plainWeights(), weightsDescriptor.diff_weights_desc(), engine, Role.DIFF_WEIGHTS, false);
            diffBias = new Port(plainBias(), weightsDescriptor.diff_bias_desc(), engine, Role.DIFF_BIAS, false);
            dataArguments.put(DNNL_ARG_DIFF_DST, dataDiffDst.primitiveSide());
            dataArguments.put(DNNL_ARG_WEIGHTS, dataWeights.primitiveSide());
            dataArguments.put(DNNL_ARG_DIFF_SRC, diffSource.primitiveSide());
            weightsArguments.put(DNNL_ARG_SRC, weightsSource.primitiveSide());
            weightsArguments.put(DNNL_ARG_DIFF_DST, weightsDiffDst.primitiveSide());
            weightsArguments.put(DNNL_ARG_DIFF_WEIGHTS, diffWeights.primitiveSide());
            weightsArguments.put(DNNL_ARG_DIFF_BIAS, diffBias.primitiveSide());
        }

        void run(
                OneDnnRuntime runtime,
                Pointer src,
                Pointer weightData,
                Pointer diffDst,
                Pointer diffSrc,
                Pointer diffWeightData,
                Pointer diffBiasData) {
            ScratchBuffers scratch = runtime.scratch();
            dataDiffDst.bind(diffDst, scratch);
            if (!sharedDiffDst) {
                weightsDiffDst.bind(diffDst, scratch);
            }
            dataWeights.bind(weightData, scratch);
            diffSource.bind(diffSrc, scratch);
            weightsSource.bind(src, scratch);
            diffWeights.bind(diffWeightData, scratch);
            diffBias.bind(diffBiasData, scratch);

            dataDiffDst.load(runtime.stream());
            if (!sharedDiffDst) {
                weightsDiffDst.load(runtime.stream());
            }
            dataWeights.load(runtime.stream());
            weightsSource.load(runtime.stream());
            data.execute(runtime.stream(), dataArguments);
            diffSource.store(runtime.stream());
            weightsGradient.execute(runtime.stream(), weightsArguments);
            diffWeights.store(runtime.stream());
            diffBias.store(runtime.stream());
            runtime.stream()._wait();
        }
    }

    private memory.desc plainSource() {
        return plain(geometry.source(), memory.format_tag.nchw);
    }

    private memory.desc plainWeights() {
        return plain(geometry.weights(), memory.format_tag.oihw);
    }

    private memory.desc plainBias() {
        return plain(geometry.bias(), memory.format_tag.x);
    }

    private memory.desc plainDestination() {
        return plain(geometry.destination(), memory.format_tag.nchw);
    }

    /** The layout asked for an activation or its gradient: plain for a 1x1 kernel, else oneDNN's choice. */
    private memory.desc activations(long[] dims) {
        boolean pointwise = geometry.kernelHeight() == 1 && geometry.kernelWidth() == 1;
        return pointwise ? plain(dims, memory.format_tag.nchw) : any(dims);
    }

    private static memory.desc plain(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    private static memory.desc any(long[] dims) {
        return new memory.desc(dims, memory.data_type.f32, memory.format_tag.any);
    }
}
