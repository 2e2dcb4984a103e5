/**
 * Training data as plain arrays, independent of any framework: the {@link io.lossprism.data.Dataset}
 * the trainer reads batches through, the built-in synthetic scenes, and folders of your own images
 * and masks ({@link io.lossprism.data.FolderDataset}: sizes read from the headers and checked against a
 * pixel budget, then decoded with ImageIO within a bound on memory, checked and fitted to the training
 * size once, held as bytes and bits). {@link io.lossprism.data.Datasets} opens the one the
 * configuration names.
 */
package io.lossprism.data;
