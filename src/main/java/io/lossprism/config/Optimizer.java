package io.lossprism.config;

import java.util.Locale;

/** The training updater. Configuration files spell it in lower case: adam, sgd, nesterovs, rmsprop. */
public enum Optimizer {
    ADAM,
    SGD,
    NESTEROVS,
    RMSPROP;

    /** The spelling used in configuration files, e.g. {@code adam}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
