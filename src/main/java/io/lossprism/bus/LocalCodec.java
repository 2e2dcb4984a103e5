package io.lossprism.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Delivers immutable records to local consumers by reference. Messages never leave the JVM, so the
 * wire methods refuse instead of inventing a format.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

    private final Class<T> type;

    public LocalCodec(Class<T> type) {
        this.type = type;
    }

    @Override
    public void encodeToWire(Buffer buffer, T message) {
        throw new UnsupportedOperationException(type.getSimpleName() + " is delivered locally only");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(type.getSimpleName() + " is delivered locally only");
    }

    @Override
    public T transform(T message) {
        return message;
    }

    @Override
    public String name() {
        return "local-" + type.getName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
