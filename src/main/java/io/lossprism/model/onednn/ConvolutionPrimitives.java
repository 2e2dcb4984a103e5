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
import org.bytedeco.dnnl.primitive;
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
    private final Descriptors descriptors;
    private final convolution_forward forward;
    private final Port source;
    private final Port weights;
    private final Port bias;
    private final Port destination;
    private final IntMemoryMap forwardArguments = new IntMemoryMap();
    private Backward backward;

    /** The three passes' descriptors, for one layout of the activations. */
    private record Descriptors(
            convolution_forward.primitive_desc forward,
            convolution_backward_data.primitive_desc data,
            convolution_backward_weights.primitive_desc weights) {}

    /** @throws RuntimeException (oneDNN's error) when oneDNN has no direct convolution for it */
    ConvolutionPrimitives(ConvolutionGeometry geometry, engine engine) {
        this.geometry = geometry;
        this.engine = engine;
        Layouts preferred = Layouts.of(geometry);
        Descriptors described;
        try {
            described = describe(preferred);
        } catch (RuntimeException e) {
            if (preferred.equals(Layouts.ANY)) {
                throw e;
            }
            described = describe(Layouts.ANY);
        }
        descriptors = described;
        convolution_forward.primitive_desc pass = descriptors.forward();
        forward = new convolution_forward(pass);
        source = new Port(plainSource(), pass.src_desc(), engine, Role.SOURCE, true);
        weights = new Port(plainWeights(), pass.weights_desc(), engine, Role.WEIGHTS, true);
        bias = new Port(plainBias(), pass.bias_desc(), engine, Role.BIAS, true);
        destination = new Port(plainDestination(), pass.dst_desc(), engine, Role.DESTINATION, false);
        forwardArguments.put(DNNL_ARG_SRC, source.primitiveSide());
        forwardArguments.put(DNNL_ARG_WEIGHTS, weights.primitiveSide());
        forwardArguments.put(DNNL_ARG_BIAS, bias.primitiveSide());
        forwardArguments.put(DNNL_ARG_DST, destination.primitiveSide());
    }

    /** All three descriptors up front, so that a layout oneDNN lacks a pass for fails here, not in training. */
    private Descriptors describe(Layouts layouts) {
        memory.desc src = new memory.desc(geometry.source(), memory.data_type.f32, layouts.source());
        memory.desc dst = new memory.desc(geometry.destination(), memory.data_type.f32, layouts.destination());
        memory.desc anyWeights = new memory.desc(geometry.weights(), memory.data_type.f32, memory.format_tag.any);
        memory.desc bias = plainBias();
        convolution_forward.primitive_desc forward = new convolution_forward.primitive_desc(
                new convolution_forward.desc(
                        prop_kind.forward_training,
                        algorithm.convolution_direct,
                        src,
                        anyWeights,
                        bias,
                        dst,
                        geometry.strides(),
                        geometry.dilation(),
                        geometry.paddingBefore(),
                        geometry.paddingAfter()),
                engine);
        return new Descriptors(
                forward,
                new convolution_backward_data.primitive_desc(
                        new convolution_backward_data.desc(
                                algorithm.convolution_direct,
                                src,
                                anyWeights,
                                dst,
                                geometry.strides(),
                                geometry.dilation(),
                                geometry.paddingBefore(),
                                geometry.paddingAfter()),
                        engine,
                        forward),
                new convolution_backward_weights.primitive_desc(
                        new convolution_backward_weights.desc(
                                algorithm.convolution_direct,
                                src,
                                anyWeights,
                                bias,
                                dst,
                                geometry.strides(),
                                geometry.dilation(),
                                geometry.paddingBefore(),
                                geometry.paddingAfter()),
                        engine,
                        forward));
    }

    ConvolutionGeometry geometry() {
        return geometry;
    }

    /** dst = conv(src, weights) + bias; the pointers address plain NCHW / [out, in, kh, kw] / [out] floats. */
    void forward(OneDnnRuntime runtime, Pointer src, Pointer weightData, Pointer biasData, Pointer dst) {
        source.read(src, runtime);
        weights.read(weightData, runtime);
        bias.read(biasData, runtime);
        destination.write(dst, runtime);
        run(forward, forwardArguments, runtime, destination);
    }

    /** Runs a primitive whose inputs are in place, then converts its outputs back and waits for all. */
    private static void run(primitive pass, IntMemoryMap arguments, OneDnnRuntime runtime, Port... outputs) {
        pass.execute(runtime.stream(), arguments);
        for (Port output : outputs) {
            output.store(runtime);
        }
        runtime.stream()._wait();
    }

    /**
     * The gradients of the input, the weights and the bias from the output gradient, the output gradient
     * converted once for both; {@code diffBias} may address a scratch buffer when the layer has no bias.
     */
    void backward(
            OneDnnRuntime runtime,
            Pointer src,
            Pointer weightData,
            Pointer diffDst,
            Pointer diffSrc,
            Pointer diffWeights,
            Pointer diffBias) {
        Backward pass = backwardPrimitives();
        pass.data(runtime, diffDst, weightData, diffSrc);
        pass.weights(runtime, src, diffDst, diffWeights, diffBias, pass.sharedDiffDst);
    }

    /** diffSrc = the gradient of the input alone (what a transposed convolution's forward pass is). */
    void backwardData(OneDnnRuntime runtime, Pointer diffDst, Pointer weightData, Pointer diffSrc) {
        backwardPrimitives().data(runtime, diffDst, weightData, diffSrc);
    }

    /** The gradients of the weights and the bias alone. */
    void backwardWeights(OneDnnRuntime runtime, Pointer src, Pointer diffDst, Pointer diffWeights, Pointer diffBias) {
        backwardPrimitives().weights(runtime, src, diffDst, diffWeights, diffBias, false);
    }

    private Backward backwardPrimitives() {
        if (backward == null) {
            backward = new Backward();
        }
        return backward;
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
            convolution_backward_data.primitive_desc dataDescriptor = descriptors.data();
            convolution_backward_weights.primitive_desc weightsDescriptor = descriptors.weights();
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

        void data(OneDnnRuntime runtime, Pointer diffDst, Pointer weightData, Pointer diffSrc) {
            dataDiffDst.read(diffDst, runtime);
            dataWeights.read(weightData, runtime);
            diffSource.write(diffSrc, runtime);
            run(data, dataArguments, runtime, diffSource);
        }

        /** With {@code diffDstLoaded}, the output gradient the data pass converted is used as it is. */
        void weights(
                OneDnnRuntime runtime,
                Pointer src,
                Pointer diffDst,
                Pointer diffWeightData,
                Pointer diffBiasData,
                boolean diffDstLoaded) {
            if (!diffDstLoaded) {
                weightsDiffDst.read(diffDst, runtime);
            }
            weightsSource.read(src, runtime);
            diffWeights.write(diffWeightData, runtime);
            diffBias.write(diffBiasData, runtime);
            run(weightsGradient, weightsArguments, runtime, diffWeights, diffBias);
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

    /**
     * The layouts asked of oneDNN for the input and the output (and their gradients). Plain for a 1x1
     * kernel. Channels in blocks of 8 where a channel count is 8 more than a multiple of 16: oneDNN's own
     * choice, blocks of 16, pads 8 channels to 16, twice the memory to convert and half the arithmetic
     * wasted (the U-Net's 8-channel layers ran 27% faster, conversions included, in blocks of 8); for a
     * first layer on fewer than 8 channels, the output alone (the input stays as oneDNN takes few channels:
     * plain): the U-Net's 3-to-8-channel layer at 128 px then took 5.3 ms per step instead of 9.3, and the
     * step's conversions of its arrays 5 ms less. Else oneDNN's choice.
     */
    private record Layouts(memory.format_tag source, memory.format_tag destination) {

        static final Layouts ANY = new Layouts(memory.format_tag.any, memory.format_tag.any);

        static Layouts of(ConvolutionGeometry geometry) {
            long in = geometry.inChannels();
            long out = geometry.outChannels();
            if (geometry.kernelHeight() == 1 && geometry.kernelWidth() == 1) {
                return new Layouts(memory.format_tag.nchw, memory.format_tag.nchw);
            }
            if (in % 8 == 0 && out % 8 == 0 && (in % 16 == 8 || out % 16 == 8)) {
                return new Layouts(memory.format_tag.nChw8c, memory.format_tag.nChw8c);
            }
            if (in < 8 && out % 16 == 8) {
                return new Layouts(memory.format_tag.any, memory.format_tag.nChw8c);
            }
            return ANY;
        }
    }

    private static memory.desc plain(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }
}
