/**
 * Training data as plain arrays, independent of any framework: the built-in synthetic segmentation
 * dataset and the batch layout the trainer feeds to the network.
 */
package io.lossprism.data;
