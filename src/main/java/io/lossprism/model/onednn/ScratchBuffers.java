package io.lossprism.model.onednn;

import java.util.EnumMap;
import java.util.Map;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.Pointer;

/**
 * Native buffers for the arrays a primitive wants in its own (blocked) layout, one per role, grown to the
 * largest request and reused by every layer. oneDNN allocates them, 64-byte aligned.
 */
final class ScratchBuffers {

    /** What a buffer holds during one call; the roles of one call never share a buffer. */
    enum Role {
        SOURCE,
        WEIGHTS,
        BIAS,
        DESTINATION,
        DIFF_DESTINATION,
        DIFF_DESTINATION_FOR_WEIGHTS,
        WEIGHTS_FOR_DATA,
        DIFF_SOURCE,
        DIFF_WEIGHTS,
        DIFF_BIAS,
        ZERO_BIAS
    }

    private final engine engine;
    private final Map<Role, memory> buffers = new EnumMap<>(Role.class);
    private final Map<Role, Long> sizes = new EnumMap<>(Role.class);

    ScratchBuffers(engine engine) {
        this.engine = engine;
    }

    /** A buffer of at least {@code bytes} for this role, valid until the next call for the same role. */
    Pointer get(Role role, long bytes) {
        if (sizes.getOrDefault(role, 0L) < bytes) {
            memory old = buffers.remove(role);
            if (old != null) {
                old.close();
            }
            memory.desc desc = new memory.desc(new long[] {bytes}, memory.data_type.u8, memory.format_tag.x);
            buffers.put(role, new memory(desc, engine));
            sizes.put(role, bytes);
        }
        return buffers.get(role).get_data_handle();
    }

    /** {@code count} float zeros (a bias for a pass that has none); the buffer is zeroed on each call. */
    Pointer zeros(long count) {
        Pointer zeros = get(Role.ZERO_BIAS, count * Float.BYTES);
        Pointer.memset(zeros, 0, count * Float.BYTES);
        return zeros;
    }

    /** Bytes held now, for the memory breakdown. */
    long bytes() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }
}
