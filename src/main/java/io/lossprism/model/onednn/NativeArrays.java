package io.lossprism.model.onednn;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** How ND4J arrays are handed to oneDNN: by the address of their first element, in plain row-major layout. */
final class NativeArrays {

    private NativeArrays() {}

    /** Row-major with no gaps (size-1 dimensions may have any stride): what a plain oneDNN layout reads. */
    static boolean isPlain(INDArray array) {
        long expected = 1;
        long[] shape = array.shape();
        long[] stride = array.stride();
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The array itself when plain, else a plain copy (to read from, never to write into). */
    static INDArray plainCopy(INDArray array) {
        return isPlain(array) ? array : array.dup('c');
    }

    /** The address of the array's first element (views included: ND4J's buffer carries the offset). */
    static Pointer address(INDArray array) {
        return array.data().addressPointer();
    }
}
