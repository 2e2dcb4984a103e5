package io.lossprism.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessSettingsTest {

    private static final Optional<String> LIB = Optional.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");

    @Test
    void aPlainEnvironmentGetsTcmallocAndPassiveWaiting() {
        assertThat(ProcessSettings.missing(Map.of("PATH", "/bin"), LIB))
                .containsExactly(Map.entry("LD_PRELOAD", LIB.get()), Map.entry("OMP_WAIT_POLICY", "PASSIVE"));
    }

    @Test
    void anotherPreloadIsKeptBehindTcmalloc() {
        assertThat(ProcessSettings.missing(Map.of("LD_PRELOAD", "/opt/libx.so"), LIB))
                .containsEntry("LD_PRELOAD", LIB.get() + ":/opt/libx.so");
    }

    @Test
    void whatTheUserSetIsLeftAsItIs() {
        assertThat(ProcessSettings.missing(
                        Map.of("LD_PRELOAD", "/usr/lib64/libtcmalloc.so.4", "OMP_WAIT_POLICY", "ACTIVE"), LIB))
                .isEmpty();
    }

    @Test
    void withoutTheLibraryOnlyTheWaitPolicyIsAdded() {
        assertThat(ProcessSettings.missing(Map.of(), Optional.empty()))
                .containsExactly(Map.entry("OMP_WAIT_POLICY", "PASSIVE"));
    }

    @Test
    void theStartedProcessAndAnOptOutStartNothing() {
        assertThat(ProcessSettings.missing(Map.of(ProcessSettings.MARKER, "1"), LIB))
                .isEmpty();
        assertThat(ProcessSettings.missing(Map.of(ProcessSettings.OPT_OUT, "off"), LIB))
                .isEmpty();
    }

    @Test
    void theFirstInstalledCandidateIsChosen() {
        assertThat(ProcessSettings.tcmalloc(p -> p.startsWith("/usr/lib64/")))
                .contains("/usr/lib64/libtcmalloc_minimal.so.4");
        assertThat(ProcessSettings.tcmalloc(p -> false)).isEmpty();
    }
}
