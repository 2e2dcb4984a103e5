package io.lossprism.model.onednn;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
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

    /** An input: binds {@code data} and converts it into the primitive's layout where that differs. */
    void read(Pointer data, OneDnnRuntime runtime) {
        bind(data, runtime.scratch());
        if (conversion != null) {
            conversion.execute(runtime.stream(), user, internal);
        }
    }

    /** An output: binds {@code data}; {@link #store} converts the result into it after the primitive ran. */
    void write(Pointer data, OneDnnRuntime runtime) {
        bind(data, runtime.scratch());
    }

    /** Converts an output back into the caller's array; nothing when the primitive wrote it there. */
    void store(OneDnnRuntime runtime) {
        if (conversion != null) {
            conversion.execute(runtime.stream(), internal, user);
        }
    }

    private void bind(Pointer data, ScratchBuffers scratch) {
        user.set_data_handle(data);
        if (conversion != null) {
            internal.set_data_handle(scratch.get(role, internalBytes));
        }
    }

    /** The memory the primitive reads or writes, for its argument map. */
    memory primitiveSide() {
        return internal;
    }
}
