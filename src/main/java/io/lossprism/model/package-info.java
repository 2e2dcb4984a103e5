/**
 * Where the trained network comes from, other than LossPrism's own U-Net: a network saved with DL4J's
 * ModelSerializer ({@link io.lossprism.model.Dl4jModelFile}) or a Keras 3 model imported with DL4J's
 * importer ({@link io.lossprism.model.keras}); the check every network must pass to be trained and
 * decomposed ({@link io.lossprism.model.OutputContract}); what a run records about its network
 * ({@link io.lossprism.model.ModelSource}: source and SHA-256; {@link io.lossprism.model.ModelSummary});
 * the bilinear upsampling layer DL4J lacks; and a convolution and a transposed convolution that do not
 * compute their forward pass twice ({@link io.lossprism.model.Convolution2D},
 * {@link io.lossprism.model.TransposedConvolution2D}), the former computed by oneDNN called directly on CPU
 * ({@link io.lossprism.model.onednn}). With {@code training}, the packages that import DL4J.
 */
package io.lossprism.model;
