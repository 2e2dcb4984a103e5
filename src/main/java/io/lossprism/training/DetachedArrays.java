package io.lossprism.training;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Arrays that inference returns outside training's workspaces hold native memory which only the garbage
 * collector frees, whenever it next collects their few bytes of heap. Validation and probes read their
 * values and free them at once, so that native memory does not pile up between collections (the whole
 * network's activations of each validation batch did, before: resident memory then rose and fell with
 * the collector's timing).
 */
final class DetachedArrays {

    private DetachedArrays() {}

    /** The values in row-major order (NCHW for an activation, whatever its layout in memory); frees the array. */
    static float[] valuesThenFree(INDArray array) {
        INDArray rowMajor = array.dup('c');
        try {
            return rowMajor.data().asFloat();
        } finally {
            free(rowMajor);
            free(array);
        }
    }

    /** Frees an array's memory now where it owns it (not a view, not in a workspace). */
    static void free(INDArray array) {
        if (array.closeable()) {
            array.close();
        }
    }
}
