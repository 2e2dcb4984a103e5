/**
 * Keras 3 import: the translation of a Keras 3 model configuration into the Keras 2 form DL4J's
 * importer reads ({@link io.lossprism.model.keras.KerasConfigTranslator}, plain maps), the two layers the
 * importer does not map itself (Rescaling, bilinear UpSampling2D), and the rebuild of the imported graph
 * in NCHW with LossPrism's loss layer ({@code NchwGraph}). Imports DL4J and its model importer.
 */
package io.lossprism.model.keras;
