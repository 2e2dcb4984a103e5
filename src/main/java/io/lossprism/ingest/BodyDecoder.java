package io.lossprism.ingest;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The records of one batches request: gzip undone within a bound (a small body that inflates to
 * gigabytes is refused as soon as it passes the bound), UTF-8 checked, then a JSON array or, with
 * {@code Content-Type: application/x-ndjson}, one JSON object per line.
 */
final class BodyDecoder {

    private static final Pattern LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)");

    private final int maxDecompressedBytes;
    private final int maxRecords;

    BodyDecoder(int maxDecompressedBytes, int maxRecords) {
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.maxRecords = maxRecords;
    }

    List<Object> decode(byte[] body, String contentType, String contentEncoding) {
        byte[] bytes = decompress(body, contentEncoding);
        String text = utf8(bytes);
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        List<Object> records = type.startsWith("application/x-ndjson") ? lines(text) : array(text);
        if (records.isEmpty()) {
            throw new IngestException(400, "records", "at least one batch record is needed");
        }
        return records;
    }

    private byte[] decompress(byte[] body, String encoding) {
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!encoding.strip().equalsIgnoreCase("gzip")) {
            throw new IngestException(
                    415, "Content-Encoding", "only gzip is accepted, got " + JsonFields.shown(encoding));
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxDecompressedBytes, body.length * 4 + 64));
            byte[] chunk = new byte[8192];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                if (out.size() + n > maxDecompressedBytes) {
                    throw new IngestException(
                            413,
                            "body",
                            "decompresses to more than " + maxDecompressedBytes
                                    + " bytes (ingest.maxDecompressedBytes)");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IngestException(400, "body", "not valid gzip (Content-Encoding: gzip): " + e.getMessage());
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IngestException(400, "body", "not valid UTF-8");
        }
    }

    private List<Object> array(String text) {
        Object value;
        try {
            value = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new IngestException(400, "body", "not valid JSON" + where(e));
        }
        if (!(value instanceof JsonArray array)) {
            throw new IngestException(
                    400,
                    "body",
                    "must be a JSON array of batch records (or one record per line with Content-Type:"
                            + " application/x-ndjson)");
        }
        checkCount(array.size());
        List<Object> records = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            records.add(array.getValue(i));
        }
        return records;
    }

    private List<Object> lines(String text) {
        List<Object> records = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        long nonBlank = java.util.Arrays.stream(lines).filter(l -> !l.isBlank()).count();
        checkCount(nonBlank);
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(Json.decodeValue(line));
            } catch (DecodeException e) {
                throw new IngestException(400, "records[" + records.size() + "]", "not valid JSON" + where(e));
            }
        }
        return records;
    }

    private void checkCount(long count) {
        if (count > maxRecords) {
            throw new IngestException(
                    413,
                    "records",
                    "at most " + maxRecords + " records per request (ingest.maxRecordsPerRequest), got " + count);
        }
    }

    /** Where the parser stopped, without echoing the input. */
    private static String where(DecodeException e) {
        Matcher m = LOCATION.matcher(String.valueOf(e.getMessage()));
        return m.find() ? " at line " + m.group(1) + ", column " + m.group(2) : "";
    }
}
