package io.lossprism.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;

/**
 * A WebSocket client on a plain TCP socket, for what a real client library will not send (invalid UTF-8,
 * a frame over the server's limit) and for seeing how the connection ends: a close frame and then the
 * end of the stream, or a TCP reset.
 */
final class RawWebSocket implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;

    /** How a connection ended after the server's close frame. */
    enum End {
        CLEAN,
        RESET,
        STILL_OPEN
    }

    record Frame(int opcode, boolean fin, byte[] payload) {
        short closeCode() {
            return payload.length < 2 ? 1005 : ByteBuffer.wrap(payload, 0, 2).getShort();
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Random random = new Random(16);

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the opening handshake; fails unless the server answers 101. */
    static RawWebSocket connect(int port, String path, Duration timeout) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) timeout.toMillis());
        RawWebSocket ws = new RawWebSocket(socket);
        byte[] key = new byte[16];
        ws.random.nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        String response = ws.readHead();
        if (!response.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("no upgrade: " + response.lines().findFirst().orElse(""));
        }
        return ws;
    }

    /** Sends one frame, masked as a client must. */
    void send(int opcode, boolean fin, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.writeBytes(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        frame.writeBytes(masked);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads the next frame from the server (unmasked, any length this test can hold). */
    Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(first & 0x0f, (first & 0x80) != 0, payload);
    }

    /** Reads the next data message, whatever its fragments; empty when the server closes instead. */
    Optional<String> message() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Frame frame;
        do {
            frame = read();
            if (frame.opcode() == CLOSE) {
                return Optional.empty();
            }
            if (frame.opcode() < CLOSE) { // text, binary or continuation; pings and pongs are not part of it
                text.writeBytes(frame.payload());
            }
        } while (frame.opcode() >= CLOSE || !frame.fin());
        return Optional.of(text.toString(StandardCharsets.UTF_8));
    }

    /** Reads past the server's other messages to its close frame and returns its status code. */
    short closeCode() throws IOException {
        Frame frame;
        do {
            frame = read();
        } while (frame.opcode() != CLOSE);
        return frame.closeCode();
    }

    /** After the server's close frame: answers it, then reads to the end of the stream. */
    End end() throws IOException {
        try {
            send(CLOSE, true, ByteBuffer.allocate(2).putShort((short) 1000).array());
            while (in.read() >= 0) {
                // whatever still comes before the end
            }
            return End.CLEAN;
        } catch (EOFException e) {
            return End.CLEAN;
        } catch (SocketTimeoutException e) {
            return End.STILL_OPEN;
        } catch (IOException e) { // "Connection reset", or a broken pipe while answering
            return End.RESET;
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
