package io.lossprism.model.onednn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The switch between oneDNN called directly and DL4J's helper: unset and unknown values keep the default. */
class OneDnnRuntimeTest {

    @Test
    void dl4jTurnsItOffAndAnythingElseKeepsIt() {
        assertThat(OneDnnRuntime.switchedOn(OneDnnRuntime.SWITCH, "dl4j")).isFalse();
        assertThat(OneDnnRuntime.switchedOn(OneDnnRuntime.SWITCH, " DL4J ")).isFalse();
        assertThat(OneDnnRuntime.switchedOn(OneDnnRuntime.SWITCH, "onednn")).isTrue();
        assertThat(OneDnnRuntime.switchedOn(OneDnnRuntime.SWITCH, null)).isTrue();
        assertThat(OneDnnRuntime.switchedOn(OneDnnRuntime.SWITCH, "")).isTrue();
        assertThat(OneDnnRuntime.switchedOn(OneDnnRuntime.SWITCH, "cudnn")).isTrue();
    }

    @Test
    void geometryPadsAfterWhatTheOutputSizeLeaves() {
        // 12 rows, 3x3 stride 1 Same: one row of padding on each side.
        var same = ConvolutionGeometry.of(
                new long[] {2, 4, 12, 10},
                new long[] {8, 4, 3, 3},
                12,
                10,
                new int[] {1, 1},
                new int[] {1, 1},
                new int[] {1, 1});
        assertThat(same.paddingAfter()).containsExactly(1, 1);
        assertThat(same.supported()).isTrue();
        // 9 rows, 3x3 stride 2 Same (5 rows out): DL4J pads 1 before and 1 after.
        var strided = ConvolutionGeometry.of(
                new long[] {1, 4, 9, 9}, new long[] {8, 4, 3, 3}, 5, 5, new int[] {2, 2}, new int[] {1, 1}, new int[] {
                    1, 1
                });
        assertThat(strided.paddingAfter()).containsExactly(1, 1);
        // 5 rows, 2x2 stride 2, no padding (Truncate): 2 rows out, the last input row unread.
        var truncating = ConvolutionGeometry.of(
                new long[] {1, 3, 5, 5}, new long[] {4, 3, 2, 2}, 2, 2, new int[] {2, 2}, new int[] {0, 0}, new int[] {
                    1, 1
                });
        assertThat(truncating.paddingAfter()).containsExactly(-1, -1);
        assertThat(truncating.supported()).isFalse();
        // Dilation 2 counts as oneDNN's 1.
        var dilated = ConvolutionGeometry.of(
                new long[] {1, 3, 13, 11},
                new long[] {7, 3, 3, 3},
                13,
                11,
                new int[] {1, 1},
                new int[] {2, 2},
                new int[] {2, 2});
        assertThat(dilated.dilation()).containsExactly(1, 1);
        assertThat(dilated.paddingAfter()).containsExactly(2, 2);
    }
}
