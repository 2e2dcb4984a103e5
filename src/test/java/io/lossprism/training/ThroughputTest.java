package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThroughputTest {

    @Test
    void theFirstStepSetsTheSpeedAndLaterStepsWeighOneFifth() {
        Throughput throughput = new Throughput();
        assertThat(throughput.imagesPerSecond()).isZero();
        assertThat(throughput.add(16, 500_000_000L)).isCloseTo(32, within(1e-9));
        // a step twice as slow: 0.2 * 16 + 0.8 * 32
        assertThat(throughput.add(16, 1_000_000_000L)).isCloseTo(28.8, within(1e-9));
        assertThat(throughput.imagesPerSecond()).isCloseTo(28.8, within(1e-9));
    }
}
