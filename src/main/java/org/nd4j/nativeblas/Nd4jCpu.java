package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim that revives DL4J's oneDNN layer helpers on 1.0.0-M2.1.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper} decides whether the oneDNN helpers may be used by reflecting on
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN()}, a class that M2.1 no longer ships.
 * The lookup fails silently and every convolution falls back to im2col + gemm, 6-9x slower. This class
 * answers that lookup by forwarding to the real {@code Nd4jCpu.Environment#isUseONEDNN()} of the
 * native CPU backend, found by reflection so the project still compiles with the CUDA backend.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {}

    /** The shape DL4J's reflection expects: a static {@code getInstance()} and {@code isUseMKLDNN()}. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();
        private static final String NATIVE_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {}

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** True when the loaded libnd4j was built with oneDNN and has it switched on. */
        public boolean isUseMKLDNN() {
            try {
                Class<?> type = Class.forName(NATIVE_ENVIRONMENT);
                Object environment = type.getMethod("getInstance").invoke(null);
                Method isUseOneDnn = type.getMethod("isUseONEDNN");
                return (Boolean) isUseOneDnn.invoke(environment);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
