package io.lossprism.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NativeFillTest {

    @Test
    void copiesEveryValueInRowMajorOrder() {
        float[] values = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 7;
        }
        INDArray target = Nd4j.create(DataType.FLOAT, new long[] {2, 3, 4, 5}, 'c');
        NativeFill.copy(values, target);
        assertArrayEquals(values, target.data().asFloat());
        // a second fill replaces the first (the input array is reused every step)
        float[] next = values.clone();
        next[0] = 42;
        next[values.length - 1] = -1;
        NativeFill.copy(next, target);
        assertArrayEquals(next, target.data().asFloat());
    }

    @Test
    void refusesATargetOfAnotherSizeTypeOrAView() {
        float[] values = new float[12];
        assertThrows(
                IllegalArgumentException.class,
                () -> NativeFill.copy(values, Nd4j.create(DataType.FLOAT, new long[] {13}, 'c')));
        assertThrows(
                IllegalArgumentException.class,
                () -> NativeFill.copy(values, Nd4j.create(DataType.DOUBLE, new long[] {12}, 'c')));
        INDArray rows = Nd4j.create(DataType.FLOAT, new long[] {2, 12}, 'c');
        assertThrows(IllegalArgumentException.class, () -> NativeFill.copy(values, rows.getRow(1)));
    }
}
