package io.lossprism.testing;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's numerical gradient check of a graph built in double precision, as the custom layers' tests run
 * it: central differences of 1e-6, a relative error of at most 1e-5 unless the absolute one is under 1e-8.
 */
public final class DoubleGradientCheck {

    private DoubleGradientCheck() {}

    /** Whether every parameter's analytic gradient matches the numerical one for this input and these labels. */
    public static boolean passes(ComputationGraph graph, INDArray input, INDArray labels) {
        DataType defaultType = Nd4j.dataType();
        DataType defaultFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // the check insists, for its perturbations
        try {
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                    .net(graph)
                    .inputs(new INDArray[] {input})
                    .labels(new INDArray[] {labels})
                    .epsilon(1e-6)
                    .maxRelError(1e-5)
                    .minAbsoluteError(1e-8));
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultFloat);
        }
    }
}
