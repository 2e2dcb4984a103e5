package io.lossprism.loss;

/**
 * A flat array of numbers read as doubles: float32 network outputs during training, float32 or float64
 * arrays from files. The type is the precision the framework computed the loss in
 * ({@link #precision()}). Two implementations only, so the engine's inner loop stays inlinable.
 */
public sealed interface Values permits Values.Floats, Values.Doubles {

    double at(int index);

    int length();

    /** The format the values are held in, and so the one a framework computes their loss in. */
    Precision precision();

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

        @Override
        public Precision precision() {
            return Precision.FLOAT32;
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

        @Override
        public Precision precision() {
            return Precision.FLOAT64;
        }
    }
}
