package io.lossprism.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NpyArrayTest {

    @Test
    void rankAndSize() {
        NpyArray scalar = new NpyArray(new long[0], new double[] {7});
        assertThat(scalar.rank()).isZero();
        assertThat(scalar.size()).isEqualTo(1);

        NpyArray matrix = new NpyArray(new long[] {2, 3}, new double[6]);
        assertThat(matrix.rank()).isEqualTo(2);
        assertThat(matrix.size()).isEqualTo(6);

        NpyArray empty = new NpyArray(new long[] {0, 1L << 40}, new double[0]);
        assertThat(empty.rank()).isEqualTo(2);
        assertThat(empty.size()).isZero();
    }

    @Test
    void equalityComparesContents() {
        NpyArray a = new NpyArray(new long[] {2}, new double[] {1, Double.NaN});
        NpyArray b = new NpyArray(new long[] {2}, new double[] {1, Double.NaN});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new NpyArray(new long[] {2, 1}, new double[] {1, Double.NaN}));
        assertThat(a).isNotEqualTo(new NpyArray(new long[] {2}, new double[] {1, 2}));
        assertThat(a.toString()).isEqualTo("NpyArray[shape=[2], values=[1.0, NaN]]");
    }

    @Test
    void shapeMustMatchValues() {
        assertThatThrownBy(() -> new NpyArray(new long[] {2, 3}, new double[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, 3] has 6 elements but 5 values were given");
        assertThatThrownBy(() -> new NpyArray(new long[] {-1}, new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative dimension");
    }
}
