/**
 * oneDNN called directly for the convolutions of LossPrism's own layers on CPU, in place of the glue
 * inside libnd4j 1.0.0-M2.1, which asks oneDNN for "any" algorithm (Winograd in the backward pass, four
 * times slower than direct convolution at 8 and 16 channels), converts the output gradient twice and
 * cannot be steered from Java. {@link io.lossprism.model.onednn.OneDnnConvolutionHelper} serves DL4J's
 * convolution helper interface with JavaCPP's build of oneDNN 2.5 (a library of its own, apart from the
 * copy linked into libnd4j); {@link io.lossprism.model.onednn.ConvolutionPrimitives} holds one
 * geometry's primitives and {@link io.lossprism.model.onednn.OneDnnRuntime} the engine, the stream and
 * the shared scratch buffers. {@code LOSSPRISM_CONVOLUTION=dl4j} turns it off.
 */
package io.lossprism.model.onednn;
