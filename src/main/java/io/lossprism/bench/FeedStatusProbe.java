package io.lossprism.bench;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks {@code GET /api/status} every few milliseconds from its own thread and keeps each answer's
 * latency: the HTTP server shares its event loop with the feed, so this shows how long other
 * endpoints wait while the feed works. A request that fails or times out counts as its timeout. Each
 * round also hands a task to each of the server's event loops and keeps the longest wait until one
 * ran: the server's own share of that latency, apart from this probe's and its HTTP client's.
 *
 * <p>The client is one kept-alive socket read and written by the probe's thread alone: a browser or a
 * scraper asks from another machine, so the figure should hold the server's time, not a client's
 * thread hand-offs on this machine's busy cores (the JDK's HttpClient passes every exchange through
 * two more threads, and showed 100-300 ms outliers here before any client had connected).
 */
final class FeedStatusProbe {

    private static final long INTERVAL_MILLIS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final InetSocketAddress address;
    private final byte[] request;
    private Socket socket;
    private InputStream input;
    private final Thread thread;
    private final List<long[]> samples = new ArrayList<>(); // {sent at, latency} in System.nanoTime()
    private volatile boolean running = true;
    private int failures;
    /** When the request now waiting was sent; 0 when none is. */
    private long pendingSince;

    private final List<EventExecutor> eventLoops;
    private final List<long[]> lags = new ArrayList<>(); // {sent at, longest wait}

    FeedStatusProbe(String host, int port, List<EventExecutor> eventLoops) {
        this.eventLoops = List.copyOf(eventLoops);
        address = new InetSocketAddress(host, port);
        request = ("GET /api/status HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        thread = new Thread(this::loop, "feed-benchmark-status-probe");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Latencies in nanoseconds of the requests that were waiting at some time in [from, to), sorted; one
     * still waiting at {@code to} counts with its wait so far.
     */
    synchronized long[] latencies(long from, long to) {
        List<Long> waits = new ArrayList<>();
        samples.stream().filter(s -> s[0] < to && s[0] + s[1] > from).forEach(s -> waits.add(s[1]));
        if (pendingSince != 0 && pendingSince < to) {
            waits.add(to - pendingSince);
        }
        return waits.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The longest event-loop waits, in nanoseconds, of the rounds started in [from, to), sorted. */
    synchronized long[] eventLoopLags(long from, long to) {
        return lags.stream()
                .filter(l -> l[0] >= from && l[0] < to)
                .mapToLong(l -> l[1])
                .sorted()
                .toArray();
    }

    synchronized int failures() {
        return failures;
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TIMEOUT.toMillis());
    }

    private void loop() {
        while (running) {
            long round = System.nanoTime();
            List<Future<Long>> waits = new ArrayList<>();
            for (EventExecutor loop : eventLoops) {
                long submitted = System.nanoTime();
                waits.add(loop.submit(() -> System.nanoTime() - submitted));
            }
            long sent = System.nanoTime();
            synchronized (this) {
                pendingSince = sent;
            }
            boolean ok;
            try {
                ok = ask() == 200;
            } catch (IOException e) {
                ok = false;
                closeSocket();
            }
            if (!running) {
                closeSocket();
                return;
            }
            long latency = ok ? System.nanoTime() - sent : TIMEOUT.toNanos();
            long lag = 0;
            for (Future<Long> wait : waits) {
                try {
                    lag = Math.max(lag, wait.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException | TimeoutException e) {
                    lag = TIMEOUT.toNanos();
                } catch (InterruptedException e) {
                    return;
                }
            }
            synchronized (this) {
                lags.add(new long[] {round, lag});
            }
            synchronized (this) {
                samples.add(new long[] {sent, latency});
                pendingSince = 0;
                failures += ok ? 0 : 1;
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Sends one request on the kept-alive socket (connecting first if needed) and reads the whole answer. */
    private int ask() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.connect(address, (int) TIMEOUT.toMillis());
            input = new BufferedInputStream(socket.getInputStream());
        }
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = input;
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        long length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        return status;
    }

    /** The status line and headers, up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already broken
            }
            socket = null;
        }
    }
}
