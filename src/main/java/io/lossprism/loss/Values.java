package io.lossprism.loss;

/**
 * A flat array of numbers read as doubles: float32 network outputs during training, float64 arrays
 * from files. Two implementations only, so the engine's inner loop stays inlinable.
 */
public sealed interface Values permits Values.Floats, Values.Doubles {

    double at(int index);

    int length();

    static Values of(float[] values) {
        return new Floats(values);
    }

    static Values of(double[] values) {
        return new Doubles(values);
    }

    record Floats(float[] values) implements Values {
        @Override
        public double at(int index) {
            return values[index];
        }

        @Override
        public int length() {
            return values.length;
        }
    }

    record Doubles(double[] values) implements Values {
        @Override
        public double at(int index) {
            return values[index];
        }

        @Override
        public int length() {
            return values.length;
        }
    }
}
