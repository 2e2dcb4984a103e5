package io.lossprism.model.onednn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One layer's primitives by geometry, the few most recently used: training batches, a last short batch,
 * validation and probe batches. Empty for a geometry oneDNN has no direct convolution for (said once).
 */
final class PrimitivesCache {

    private static final Logger LOG = LoggerFactory.getLogger(PrimitivesCache.class);
    private static final int KEPT = 8;

    private final Map<ConvolutionGeometry, Optional<ConvolutionPrimitives>> primitives =
            new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<ConvolutionGeometry, Optional<ConvolutionPrimitives>> e) {
                    return size() > KEPT;
                }
            };

    Optional<ConvolutionPrimitives> get(ConvolutionGeometry geometry, OneDnnRuntime runtime) {
        if (!geometry.supported()) {
            return Optional.empty();
        }
        return primitives.computeIfAbsent(geometry, g -> {
            try {
                return Optional.of(new ConvolutionPrimitives(g, runtime.engine()));
            } catch (RuntimeException e) {
                LOG.info("oneDNN has no direct convolution for {} ({}); DL4J's code serves it", g, e.getMessage());
                return Optional.empty();
            }
        });
    }
}
