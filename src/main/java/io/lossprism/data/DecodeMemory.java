package io.lossprism.data;

/**
 * Bounds the bytes of decoded images held at once by the loading threads: a thread waits until its image
 * fits beside the others. An image larger than the whole budget (but within {@code data.maxImagePixels})
 * still decodes, alone, so no file waits forever.
 */
final class DecodeMemory {

    private final long capacity;
    private long inFlight;
    private long peak;

    DecodeMemory(long capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacityBytes);
        }
        this.capacity = capacityBytes;
    }

    /** A quarter of the heap the JVM may grow to (-Xmx): the rest holds the dataset and the network. */
    static DecodeMemory quarterOfHeap() {
        return new DecodeMemory(Math.max(1, Runtime.getRuntime().maxMemory() / 4));
    }

    long capacity() {
        return capacity;
    }

    /** Waits until {@code bytes} fit (or nothing else is held); release the lease when the image is dropped. */
    Lease acquire(long bytes) throws InterruptedException {
        synchronized (this) {
            while (inFlight > 0 && inFlight + bytes > capacity) {
                wait();
            }
            inFlight += bytes;
            peak = Math.max(peak, inFlight);
        }
        return new Lease(bytes);
    }

    /** The most bytes held at once so far. */
    synchronized long peak() {
        return peak;
    }

    private synchronized void release(long bytes) {
        inFlight -= bytes;
        notifyAll();
    }

    /** Bytes held for one decoded image. */
    final class Lease implements AutoCloseable {

        private final long bytes;
        private boolean released;

        private Lease(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                release(bytes);
            }
        }
    }
}
