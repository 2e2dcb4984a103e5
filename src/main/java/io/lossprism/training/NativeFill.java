package io.lossprism.training;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies a batch from the Java heap into the network's input arrays. On the CPU backend, ND4J's
 * {@code DataBuffer.setData(float[])} stores element by element (5 ms for the 2.1 M floats of a batch at
 * 128 px, measured); one bulk copy into the array's memory takes 0.6 ms. Other backends keep
 * {@code setData}, which also keeps their device copy in step.
 */
final class NativeFill {

    private NativeFill() {}

    /** {@code target}: a float array of exactly {@code values.length} elements, owning its buffer from offset 0. */
    static void copy(float[] values, INDArray target) {
        if (target.dataType() != DataType.FLOAT || target.length() != values.length || target.offset() != 0) {
            throw new IllegalArgumentException("target must be a whole float array of " + values.length + " elements");
        }
        if (Nd4j.getEnvironment().isCPU()) {
            ((FloatPointer) target.data().addressPointer()).put(values, 0, values.length);
        } else {
            target.data().setData(values);
        }
    }
}
