package io.lossprism.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run trains, for people: the source, the number of layers (vertices without parameters such
 * as concatenations not counted), the parameter count and the input and output shapes with the batch
 * dimension as -1.
 */
public record ModelSummary(String source, int layers, long parameters, long[] inputShape, long[] outputShape) {

    public ModelSummary {
        inputShape = inputShape.clone();
        outputShape = outputShape.clone();
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    /** Plain values (strings, numbers, lists) for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("source", source);
        map.put("layers", layers);
        map.put("parameters", parameters);
        map.put("inputShape", shape(inputShape));
        map.put("outputShape", shape(outputShape));
        return map;
    }

    private static List<Long> shape(long[] shape) {
        return Arrays.stream(shape).boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSummary s
                && source.equals(s.source)
                && layers == s.layers
                && parameters == s.parameters
                && Arrays.equals(inputShape, s.inputShape)
                && Arrays.equals(outputShape, s.outputShape);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Long.hashCode(parameters);
    }

    @Override
    public String toString() {
        return source + ": " + layers + " layers, " + parameters + " parameters, " + Arrays.toString(inputShape)
                + " -> " + Arrays.toString(outputShape);
    }
}
