package io.lossprism.training;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One thread that applies a function to items in the order they were submitted and hands the results
 * back in that order: takes the decomposition of each batch off the training thread. At most
 * {@code capacity} items wait or are being worked on; {@link #submit} blocks beyond that (backpressure:
 * nothing is dropped). The submitting thread alone collects the results, those ready with {@link #poll},
 * all submitted so far with {@link #drain}. A function that throws yields a {@link MonitorFailure} at
 * that item's place in the order; the items after it are still worked on.
 *
 * @param <T> what the submitting thread hands over; it must not touch an item again until its result is collected
 * @param <R> the result of one item
 */
public final class MonitorQueue<T, R> implements AutoCloseable {

    private record Job<T>(T item) {}

    private record Outcome<R>(R value, Throwable failure) {}

    private final Function<T, R> function;
    private final Semaphore room;
    private final BlockingQueue<Job<T>> pending = new LinkedBlockingQueue<>();
    private final BlockingQueue<Outcome<R>> done = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong workNanos = new AtomicLong();
    private final AtomicLong workCpuNanos = new AtomicLong();
    // the submitting thread's own counters
    private long submitted;
    private long collected;
    private long waitNanos;
    private Outcome<R> next;
    private boolean closed;

    /**
     * @param name     the thread's name
     * @param capacity how many items may be submitted and not yet worked on
     */
    MonitorQueue(String name, int capacity, Function<T, R> function) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.function = function;
        this.room = new Semaphore(capacity);
        this.thread = new Thread(this::work, name);
        thread.setDaemon(true); // never keeps a JVM alive; close() ends it in order
        thread.start();
    }

    /** Hands an item over; waits while {@code capacity} items are still to be worked on. */
    public void submit(T item) {
        if (closed) {
            throw new IllegalStateException("monitor queue " + thread.getName() + " is closed");
        }
        long start = System.nanoTime();
        room.acquireUninterruptibly();
        waitNanos += System.nanoTime() - start;
        submitted++;
        pending.add(new Job<>(item));
    }

    /** The results ready now, in submission order, without waiting. */
    public List<R> poll() {
        return collect(false);
    }

    /** The results of every item submitted so far, in submission order; waits for the last one. */
    public List<R> drain() {
        return collect(true);
    }

    /** Items submitted whose results were not yet collected. */
    public long outstanding() {
        return submitted - collected;
    }

    /** Total time {@link #submit} waited for room (backpressure), on the submitting thread. */
    public long waitNanos() {
        return waitNanos;
    }

    /** Total time the function ran, on this queue's thread (wall clock: includes time it waited for a core). */
    public long workNanos() {
        return workNanos.get();
    }

    /** Total processor time the function used, on this queue's thread; -1 where the JVM cannot measure it. */
    public long workCpuNanos() {
        return workCpuNanos.get();
    }

    /**
     * Works off what was submitted and ends the thread; results not collected are dropped (collect them
     * with {@link #drain} first).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.add(new Job<>(null));
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private List<R> collect(boolean wait) {
        List<R> results = new ArrayList<>();
        while (collected < submitted) {
            if (next == null) {
                next = wait ? take(done) : done.poll();
                if (next == null) {
                    break;
                }
            }
            if (next.failure() != null) {
                if (!results.isEmpty()) {
                    break; // hand over what came before; the failure is thrown by the next call
                }
                Throwable failure = next.failure();
                next = null;
                collected++;
                throw new MonitorFailure(thread.getName(), failure);
            }
            results.add(next.value());
            next = null;
            collected++;
        }
        return results;
    }

    private void work() {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        while (true) {
            T item = take(pending).item();
            if (item == null) {
                return;
            }
            long start = System.nanoTime();
            long cpuStart = cpu.getCurrentThreadCpuTime();
            Outcome<R> outcome;
            try {
                outcome = new Outcome<>(function.apply(item), null);
            } catch (RuntimeException | Error e) {
                outcome = new Outcome<>(null, e);
            }
            workNanos.addAndGet(System.nanoTime() - start);
            if (cpuStart >= 0) {
                workCpuNanos.addAndGet(cpu.getCurrentThreadCpuTime() - cpuStart);
            } else {
                workCpuNanos.set(-1);
            }
            done.add(outcome);
            room.release();
        }
    }

    /** Takes the head of {@code queue}; an interrupt does not lose an item, it is kept for the caller. */
    private static <E> E take(BlockingQueue<E> queue) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The function failed on one item; the cause is what it threw. */
    public static final class MonitorFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MonitorFailure(String name, Throwable cause) {
            super(name + ": " + cause, cause);
        }
    }
}
