package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashSplitTest {

    /** Pinned: a different hash would move users' images between splits from one version to the next. */
    @Test
    void bucketIsCrc32OfTheUtf8NameModuloTenThousand() {
        // python3 -c "import zlib; print(zlib.crc32(b'img1') % 10000, zlib.crc32(b'photo_0001') % 10000)"
        assertThat(HashSplit.bucket("img1")).isEqualTo(2476);
        assertThat(HashSplit.bucket("photo_0001")).isEqualTo(9664);
    }

    @Test
    void theValidationShareIsCloseToTheFraction() {
        for (double fraction : new double[] {0.05, 0.1, 0.3, 0.9}) {
            int validation = 0;
            int names = 20_000;
            for (int i = 0; i < names; i++) {
                if (HashSplit.isValidation("IMG_" + i, fraction)) {
                    validation++;
                }
            }
            assertThat((double) validation / names)
                    .as("fraction %s", fraction)
                    .isCloseTo(fraction, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void fractionZeroHoldsNothingOut() {
        for (int i = 0; i < 1000; i++) {
            assertThat(HashSplit.isValidation("x" + i, 0)).isFalse();
        }
    }

    @Test
    void aNameIsInValidationExactlyWhenItsBucketIsBelowTheFractionOfTenThousand() {
        assertThat(HashSplit.isValidation("img1", 0.2476)).isFalse();
        assertThat(HashSplit.isValidation("img1", 0.2477)).isTrue();
    }
}
