/**
 * Sample predictions on fixed probe images, for the dashboard's "Sample predictions" view: the
 * painter that turns an input image and one class's truth and prediction into PNGs (the input, and an
 * overlay coloured by true positives, false positives and false negatives) with their counts, and the
 * immutable records that carry a set of them. Pure: no Vert.x, no DL4J.
 */
package io.lossprism.probes;
