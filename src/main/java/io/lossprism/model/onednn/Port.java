package io.lossprism.model.onednn;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;

/**
 * One array argument of a primitive: the caller's array in plain layout and, when the primitive chose
 * another layout, a copy in that layout in a scratch buffer, converted by a reorder on the way in (an
 * input) or out (an output). Both memories are created without data and bound on each call.
 */
final class Port {

    private final memory user;
    private final memory internal;
    private final reorder conversion;
    private final ScratchBuffers.Role role;
    private final long internalBytes;

    /**
     * @param wanted the layout the primitive chose
     * @param input true for an argument the primitive reads
     */
    Port(memory.desc plain, memory.desc wanted, engine engine, ScratchBuffers.Role role, boolean input) {
        this.role = role;
        user = new memory(plain, engine, new Pointer());
        if (wanted.equals(plain)) {
            internal = user;
            conversion = null;
            internalBytes = 0;
        } else {
            internal = new memory(wanted, engine, new Pointer());
            conversion = input ? new reorder(user, internal) : new reorder(internal, user);
            internalBytes = wanted.get_size();
        }
    }

    /** The memory to hand the primitive, bound to {@code data} (and to scratch when converted). */
    memory bind(Pointer data, ScratchBuffers scratch) {
        user.set_data_handle(data);
        if (conversion != null) {
            internal.set_data_handle(scratch.get(role, internalBytes));
        }
        return internal;
    }

    /** Converts an input into the primitive's layout; nothing when it takes the plain one. */
    void load(stream stream) {
        if (conversion != null) {
            conversion.execute(stream, user, internal);
        }
    }

    /** Converts an output back into the caller's array; nothing when the primitive wrote it there. */
    void store(stream stream) {
        if (conversion != null) {
            conversion.execute(stream, internal, user);
        }
    }

    /** The memory the primitive reads or writes, for its argument map. */
    memory primitiveSide() {
        return internal;
    }
}
