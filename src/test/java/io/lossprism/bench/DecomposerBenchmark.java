package io.lossprism.bench;

import io.lossprism.loss.BatchShape;
import io.lossprism.loss.Convention;
import io.lossprism.loss.Decomposer;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.Layout;
import io.lossprism.loss.LossSpec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training batch of the seed question, 16 x 5 x 256 x 256, decomposed as the trainer does
 * (BCE on logits, DL4J convention). Target: at most 60 ms on 2 cores; run with {@code -prof gc} to see
 * the allocation per operation (only the result should allocate).
 *
 * <pre>mvn -Pjmh test-compile exec:exec -Djmh.args="DecomposerBenchmark -prof gc"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class DecomposerBenchmark {

    private static final BatchShape SHAPE = BatchShape.of(16, 5, 256, 256);

    private float[] truth;
    private float[] logits;
    private Decomposer decomposer;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        truth = new float[SHAPE.elements()];
        logits = new float[SHAPE.elements()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = random.nextDouble() < 0.1 ? 1 : 0;
            logits[i] = (float) (random.nextDouble(-8, 8));
        }
        decomposer = new Decomposer(SHAPE, Layout.NCHW, LossSpec.bce(Convention.DL4J, true, SHAPE.classes()));
    }

    @Benchmark
    public Decomposition decompose() {
        return decomposer.decompose(truth, logits);
    }
}
