package io.lossprism.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(NpyWriterTest.class.getResource("/npy/" + name).toURI());
    }

    private NpyArray roundTrip(long[] shape, double[] values) throws IOException {
        Path file = dir.resolve("a.npy");
        NpyWriter.write(file, shape, values);
        return NpyReader.read(file);
    }

    @Test
    void roundTripsEveryRank() throws IOException {
        assertThat(roundTrip(new long[0], new double[] {-4.25}))
                .isEqualTo(new NpyArray(new long[0], new double[] {-4.25}));
        assertThat(roundTrip(new long[] {3}, new double[] {1, 2, 3}))
                .isEqualTo(new NpyArray(new long[] {3}, new double[] {1, 2, 3}));

        Random random = new Random(42);
        double[] values = new double[2 * 3 * 4 * 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        long[] shape = {2, 3, 4, 5};
        NpyArray back = roundTrip(shape, values);
        assertThat(back.shape()).containsExactly(shape);
        assertThat(back.values()).containsExactly(values);
    }

    @Test
    void roundTripsSpecialValuesBitForBit() throws IOException {
        double[] values = {
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.0,
            0.0,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            0.1,
            1e-300
        };
        NpyArray back = roundTrip(new long[] {values.length}, values);
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.doubleToRawLongBits(back.values()[i])).isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
    }

    @Test
    void roundTripsEmptyArrays() throws IOException {
        assertThat(roundTrip(new long[] {0}, new double[0]).shape()).containsExactly(0);
        assertThat(roundTrip(new long[] {4, 0, 2}, new double[0]).shape()).containsExactly(4, 0, 2);
    }

    @Test
    void roundTripsMoreThanOneChunk() throws IOException {
        double[] values = new double[200_003];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25;
        }
        assertThat(roundTrip(new long[] {values.length}, values).values()).isEqualTo(values);
    }

    /** The writer's bytes are exactly what numpy writes for the same float64 array. */
    @Test
    void writesTheBytesNumpyWrites() throws Exception {
        Path file = dir.resolve("f8.npy");
        NpyWriter.write(file, new long[] {2, 3}, new double[] {0.0, 1.5, -2.25, 3.0, 1024.125, -0.5});
        assertThat(file).hasSameBinaryContentAs(fixture("f8_le.npy"));

        double[] cube = new double[24];
        for (int i = 0; i < cube.length; i++) {
            cube[i] = i * 0.5 - 3;
        }
        NpyWriter.write(file, new long[] {2, 3, 4}, cube);
        assertThat(file).hasSameBinaryContentAs(fixture("cube_c.npy"));

        NpyWriter.write(file, new long[0], new double[] {3.5});
        assertThat(file).hasSameBinaryContentAs(fixture("rank0.npy"));
    }

    @Test
    void headerIsPaddedToAMultipleOf64Bytes() throws IOException {
        Path file = dir.resolve("a.npy");
        for (int rank = 0; rank < 12; rank++) {
            long[] shape = new long[rank];
            java.util.Arrays.fill(shape, 1);
            NpyWriter.write(file, shape, new double[] {rank});
            byte[] bytes = Files.readAllBytes(file);
            int dataStart = bytes.length - 8;
            assertThat(dataStart % 64).isZero();
            assertThat(10 + (bytes[8] & 0xff) + ((bytes[9] & 0xff) << 8)).isEqualTo(dataStart);
            assertThat(bytes[dataStart - 1]).isEqualTo((byte) '\n');
            assertThat(NpyReader.read(file).values()).containsExactly(rank);
        }
    }

    @Test
    void refusesAShapeThatDoesNotMatchTheValues() {
        Path file = dir.resolve("bad.npy");
        assertThatThrownBy(() -> NpyWriter.write(file, new long[] {2, 2}, new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, 2] has 4 elements but 3 values were given");
        assertThatThrownBy(() -> NpyWriter.write(file, new long[] {-2}, new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative dimension");
        assertThat(file).doesNotExist();
    }
}
