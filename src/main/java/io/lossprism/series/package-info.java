/**
 * Pure series arithmetic for charts: which points of a long history to keep so that a few thousand of
 * them still show every spike. Nothing here imports Vert.x or Deeplearning4j.
 */
package io.lossprism.series;
