package io.lossprism.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyReaderTest {

    private static final long[] SHAPE_2X3 = {2, 3};
    private static final double[] FLOATS = {0.0, 1.5, -2.25, 3.0, 1024.125, -0.5};
    private static final double[] INTS = {0, 1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final double[] BIG_INTS = {0, 1, -2, 3, 0x1p53, -0x1p53};
    private static final double[] BYTES = {0, 1, 2, 3, 254, 255};
    private static final double[] BOOLS = {1, 0, 1, 0, 0, 1};
    private static final String SUPPORTED = "; supported: float32, float64, int32, int64, uint8, bool";
    private static final String F4_2X3 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    @TempDir
    Path dir;

    // ---- helpers ----------------------------------------------------------------------------

    private static Path fixture(String name) {
        try {
            return Path.of(NpyReaderTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Magic, version, header length and header text as given (no padding), then the data. */
    private static byte[] npy(int major, int minor, String header, byte[] data) {
        byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return npy(major, minor, text, data);
    }

    private static byte[] npy(int major, int minor, byte[] text, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        int length = text.length;
        out.write(length);
        out.write(length >> 8);
        if (major != 1) {
            out.write(length >> 16);
            out.write(length >> 24);
        }
        out.writeBytes(text);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] v1(String header, byte[] data) {
        return npy(1, 0, header, data);
    }

    private static byte[] floats32(ByteOrder order, double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(order);
        for (double v : values) {
            buffer.putFloat((float) v);
        }
        return buffer.array();
    }

    private static byte[] longs(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buffer.putLong(v);
        }
        return buffer.array();
    }

    private Path file(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads through both entry points and checks both fail with the same one-line message. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String name, byte[] bytes)
            throws IOException {
        Path path = file(name, bytes);
        String prefix = path + ": ";
        Throwable fromPath = catchIo(() -> NpyReader.read(path));
        Throwable fromStream = catchIo(() -> NpyReader.read(new ByteArrayInputStream(bytes), path.toString()));
        assertThat(fromPath).isInstanceOf(NpyFormatException.class);
        assertThat(fromPath.getMessage())
                .startsWith(prefix)
                .doesNotContain("\n")
                .doesNotContain("java.");
        assertThat(fromStream).isInstanceOf(NpyFormatException.class).hasMessage(fromPath.getMessage());
        return assertThat(fromPath);
    }

    private interface IoCall {
        void run() throws IOException;
    }

    private static Throwable catchIo(IoCall call) {
        try {
            call.run();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("expected an IOException");
    }

    // ---- dtypes and byte orders -------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"f4_le.npy", "f4_be.npy", "f8_le.npy", "f8_be.npy"})
    void readsFloats(String name) throws IOException {
        NpyArray a = NpyReader.read(fixture(name));
        assertThat(a.shape()).containsExactly(SHAPE_2X3);
        assertThat(a.values()).containsExactly(FLOATS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i4_le.npy", "i4_be.npy"})
    void readsInt32(String name) throws IOException {
        assertThat(NpyReader.read(fixture(name))).isEqualTo(new NpyArray(SHAPE_2X3, INTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"i8_le.npy", "i8_be.npy"})
    void readsInt64UpToTwoToThe53Exactly(String name) throws IOException {
        assertThat(NpyReader.read(fixture(name))).isEqualTo(new NpyArray(SHAPE_2X3, BIG_INTS));
    }

    @Test
    void readsUint8AndBool() throws IOException {
        assertThat(NpyReader.read(fixture("u1.npy"))).isEqualTo(new NpyArray(SHAPE_2X3, BYTES));
        assertThat(NpyReader.read(fixture("b1.npy"))).isEqualTo(new NpyArray(SHAPE_2X3, BOOLS));
    }

    @Test
    void float32IsWidenedExactly() throws IOException {
        byte[] data = floats32(ByteOrder.LITTLE_ENDIAN, 0.1, Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE);
        NpyArray a = NpyReader.read(
                new ByteArrayInputStream(v1("{'descr': '<f4', 'fortran_order': False, 'shape': (4,)}", data)), "x.npy");
        assertThat(a.values()).containsExactly((double) 0.1f, Double.NaN, Double.NEGATIVE_INFINITY, Float.MIN_VALUE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "unsupported_f2.npy:'<f2'",
                "unsupported_c8.npy:'<c8'",
                "unsupported_i2.npy:'<i2'",
                "unsupported_object.npy:'|O'",
                "unsupported_structured.npy:[('x', '<f4'), ('y', '<i4')] (structured)"
            })
    void refusesOtherDtypes(String fixtureAndDescr) {
        String[] parts = fixtureAndDescr.split(":", 2);
        Path path = fixture(parts[0]);
        assertThatThrownBy(() -> NpyReader.read(path))
                .isInstanceOf(NpyFormatException.class)
                .hasMessage(path + ": unsupported dtype " + parts[1] + SUPPORTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'<i8 '", "'f4'", "'|f4'", "'=f4'", "'<U3'", "'<M8[ns]'", "'<u2'", "'<b1x'", "None", "3"})
    void refusesOtherDescrs(String descr) throws IOException {
        assertRefused("d.npy", v1("{'descr': " + descr + ", 'fortran_order': False, 'shape': (0,)}", new byte[0]))
                .hasMessage(dir.resolve("d.npy") + ": unsupported dtype " + descr + SUPPORTED);
    }

    @Test
    void oneByteTypesTakeAnyByteOrderMark() throws IOException {
        for (String descr : new String[] {"<u1", ">u1", "|b1", "<b1"}) {
            NpyArray a = NpyReader.read(
                    new ByteArrayInputStream(
                            v1("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2,)}", new byte[] {1, 0})),
                    "x");
            assertThat(a.values()).containsExactly(1, 0);
        }
    }

    @Test
    void refusesInt64BeyondExactDoubles() throws IOException {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,)}";
        assertRefused("big.npy", v1(header, longs(1, (1L << 53) + 1, 0)))
                .hasMessage(dir.resolve("big.npy") + ": int64 value 9007199254740993 at element 1 cannot be"
                        + " represented exactly as a double (limit +/-2^53)");
        assertRefused("min.npy", v1(header, longs(0, 0, Long.MIN_VALUE)))
                .hasMessageContaining("int64 value -9223372036854775808 at element 2");
    }

    @Test
    void refusesBoolBytesOtherThanZeroAndOne() throws IOException {
        assertRefused("b.npy", v1("{'descr': '|b1', 'fortran_order': False, 'shape': (3,)}", new byte[] {0, 1, 2}))
                .hasMessage(dir.resolve("b.npy") + ": invalid bool byte 2 at element 2 (must be 0 or 1)");
    }

    // ---- memory order -------------------------------------------------------------------------

    @Test
    void fortranOrderGivesTheSameCOrderValues() throws IOException {
        NpyArray c = NpyReader.read(fixture("cube_c.npy"));
        assertThat(c.shape()).containsExactly(2, 3, 4);
        for (int i = 0; i < 24; i++) {
            assertThat(c.values()[i]).isEqualTo(i * 0.5 - 3);
        }
        assertThat(NpyReader.read(fixture("cube_fortran.npy"))).isEqualTo(c);
        assertThat(NpyReader.read(fixture("cube_fortran_f4_be.npy"))).isEqualTo(c);
        assertThat(NpyReader.read(fixture("u1_fortran.npy"))).isEqualTo(NpyReader.read(fixture("u1.npy")));
    }

    @Test
    void fortranOrderOfAHandBuiltMatrix() throws IOException {
        // [[1, 2, 3], [4, 5, 6]] stored column by column
        byte[] data = floats32(ByteOrder.BIG_ENDIAN, 1, 4, 2, 5, 3, 6);
        NpyArray a = NpyReader.read(
                new ByteArrayInputStream(v1("{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3)}", data)),
                "m.npy");
        assertThat(a.values()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void fortranOrderWithUnitAndEmptyDimensions() throws IOException {
        byte[] data = floats32(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6);
        NpyArray a = NpyReader.read(
                new ByteArrayInputStream(v1("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2, 1, 3, 1)}", data)),
                "m.npy");
        assertThat(a.values()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(NpyReader.read(fixture("empty_fortran_3x0.npy")).shape()).containsExactly(3, 0);
    }

    // ---- versions, ranks, empty arrays ---------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"f4_v2.npy", "f4_v3.npy"})
    void readsFormatVersions2And3(String name) throws IOException {
        assertThat(NpyReader.read(fixture(name))).isEqualTo(NpyReader.read(fixture("f4_le.npy")));
    }

    @Test
    void version3HeaderIsUtf8AndVersion1IsLatin1() throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'caf\u00e9': 1}";
        assertRefused("v3.npy", npy(3, 0, header, new byte[24])).hasMessageContaining("unexpected key 'caf\u00e9'");
        assertRefused("v1.npy", npy(1, 0, header, new byte[24])).hasMessageContaining("unexpected key 'caf\u00e9'");
        byte[] badUtf8 = {'{', (byte) 0xc3, '}'};
        assertRefused("bad.npy", npy(3, 0, badUtf8, new byte[0]))
                .hasMessage(dir.resolve("bad.npy") + ": malformed header: not valid UTF-8 (version 3.0 header)");
    }

    @Test
    void readsRank0() throws IOException {
        NpyArray a = NpyReader.read(fixture("rank0.npy"));
        assertThat(a.rank()).isZero();
        assertThat(a.shape()).isEmpty();
        assertThat(a.size()).isEqualTo(1);
        assertThat(a.values()).containsExactly(3.5);
    }

    @Test
    void readsRank1AndRank4() throws IOException {
        assertThat(NpyReader.read(fixture("rank1.npy")))
                .isEqualTo(new NpyArray(new long[] {5}, new double[] {1, 2, 4, 8, 16}));
        NpyArray a = NpyReader.read(fixture("rank4.npy"));
        assertThat(a.shape()).containsExactly(2, 1, 3, 2);
        assertThat(a.values()).containsExactly(-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5);
    }

    @Test
    void readsEmptyArrays() throws IOException {
        NpyArray a = NpyReader.read(fixture("empty_0x3.npy"));
        assertThat(a.shape()).containsExactly(0, 3);
        assertThat(a.size()).isZero();
        assertThat(a.values()).isEmpty();

        // a zero dimension makes any other dimension harmless
        NpyArray b = NpyReader.read(
                new ByteArrayInputStream(v1(
                        "{'descr': '<f8', 'fortran_order': True, 'shape': (99999999999, 0, 99999999999)}",
                        new byte[0])),
                "e");
        assertThat(b.shape()).containsExactly(99999999999L, 0, 99999999999L);
        assertThat(b.values()).isEmpty();
    }

    // ---- header syntax -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{'descr':'<f4','fortran_order':False,'shape':(2,3)}",
                "{ \"descr\" : \"<f4\" ,\t'fortran_order' : False , 'shape' : ( 2 , 3 , ) , }\n",
                "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}                \n",
                "\n{'descr': '<f4',\n 'fortran_order': False,\n 'shape': ((2), 3)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (+2, 3), }"
            })
    void toleratesWhitespaceTrailingCommasAndKeyOrder(String header) throws IOException {
        byte[] data = floats32(ByteOrder.LITTLE_ENDIAN, FLOATS);
        assertThat(NpyReader.read(new ByteArrayInputStream(v1(header, data)), "x")
                        .values())
                .containsExactly(FLOATS);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{'descr': '<f4', 'fortran_order': False}|missing key 'shape'",
                "{'fortran_order': False, 'shape': ()}|missing key 'descr'",
                "{'descr': '<f4', 'shape': ()}|missing key 'fortran_order'",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'extra': 1}|unexpected key 'extra'",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (), 1: 1}|unexpected key 1",
                "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}|duplicate key 'descr'",
                "{'descr': '<f4' 'fortran_order': False, 'shape': ()}|expected ',' or '}', found '''",
                "{'descr': '<f4', 'fortran_order' False, 'shape': ()}|expected ':' after a dict key, found 'F'",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (),, }|unexpected ','",
                "{'descr': '<f4', 'fortran_order': 0, 'shape': ()}|fortran_order must be True or False, found 0",
                "{'descr': '<f4', 'fortran_order': false, 'shape': ()}|unexpected name 'false'",
                "{'descr': '<f4', 'fortran_order': None, 'shape': ()}|fortran_order must be True or False, found None",
                "{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}|shape must be a tuple of non-negative integers",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (6)}|shape must be a tuple of non-negative integers, found (6)",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3)}|shape must be a tuple of non-negative integers",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3.0)}|unexpected '.' in a number",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 03)}|integer with a leading zero",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3x)}|unexpected 'x' in a number",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, ('3',))}|shape must be a tuple",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} extra|unexpected 'e' after the dict",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)|expected ',' or '}', found end of header",
                "{'descr': '<f4, 'fortran_order': False, 'shape': ()}|expected ',' or '}'",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 'abc}|unterminated string",
                "{'descr': '<\\n4', 'fortran_order': False, 'shape': ()}|unsupported escape in string",
                "{'descr': b'<f4', 'fortran_order': False, 'shape': ()}|unexpected name 'b'",
                "['descr', '<f4']|expected a dict, found ['descr', '<f4']",
                "{'descr': '<f4', 'fortran_order': False, 'shape': ()}}|unexpected '}' after the dict",
                "{'descr': '<f4', 'fortran_order': False, 'shape': ()} \u0000|unexpected '\\x00' after the dict",
                "|header is empty",
                "  \n|header is empty",
                "{'descr': '<f4', 'fortran_order': False, 'shape': @}|unexpected '@'",
            })
    void refusesMalformedHeaders(String headerAndMessage) throws IOException {
        String[] parts = headerAndMessage.split("\\|", 2);
        assertRefused("h.npy", v1(parts[0], new byte[0]))
                .hasMessageStartingWith(dir.resolve("h.npy") + ": malformed header: ")
                .hasMessageContaining(parts[1]);
    }

    @Test
    void refusesDeeplyNestedHeadersWithoutOverflowingTheStack() throws IOException {
        String header = "(".repeat(30_000) + ")".repeat(30_000);
        assertRefused("deep.npy", v1(header, new byte[0])).hasMessageContaining("nested more than 32 levels deep");
    }

    @Test
    void malformedHeaderMessageShowsAShortenedHeaderOnOneLine() throws IOException {
        String header = "{'descr': '<f4',\n 'fortran_order': False, 'shape': (), 'x': '" + "y".repeat(500) + "'}";
        assertRefused("h.npy", v1(header, new byte[0]))
                .hasMessage(dir.resolve("h.npy") + ": malformed header: unexpected key 'x'; expected exactly 'descr',"
                        + " 'fortran_order', 'shape' in "
                        + header.substring(0, 117).replace("\n", "\\n") + "...");
    }

    // ---- structural errors ---------------------------------------------------------------------

    @Test
    void refusesBadMagic() throws IOException {
        assertRefused("zip.npy", "PK\u0003\u0004 not numpy at all".getBytes(StandardCharsets.ISO_8859_1))
                .hasMessage(dir.resolve("zip.npy") + ": not a .npy file (bad magic)");
        assertRefused("text.npy", "{'descr': '<f4'}".getBytes(StandardCharsets.ISO_8859_1))
                .hasMessage(dir.resolve("text.npy") + ": not a .npy file (bad magic)");
        assertRefused("short.npy", new byte[] {'x'})
                .hasMessage(dir.resolve("short.npy") + ": not a .npy file (bad magic)");
        assertRefused("empty.npy", new byte[0]).hasMessage(dir.resolve("empty.npy") + ": not a .npy file (empty)");
    }

    @Test
    void refusesUnsupportedVersions() throws IOException {
        for (int[] v : new int[][] {{4, 0}, {1, 1}, {0, 0}, {255, 255}}) {
            assertRefused("v.npy", npy(v[0], v[1], F4_2X3, new byte[24]))
                    .hasMessage(dir.resolve("v.npy") + ": unsupported .npy format version " + v[0] + "." + v[1]
                            + "; supported: 1.0, 2.0, 3.0");
        }
    }

    @Test
    void refusesTruncatedHeaders() throws IOException {
        byte[] whole = v1(F4_2X3, new byte[24]);
        String p = dir.resolve("t.npy").toString();
        assertRefused("t.npy", java.util.Arrays.copyOf(whole, 3))
                .hasMessage(p + ": truncated header: expected 6 bytes of magic string, found 3");
        assertRefused("t.npy", java.util.Arrays.copyOf(whole, 7))
                .hasMessage(p + ": truncated header: expected 2 bytes of version, found 1");
        assertRefused("t.npy", java.util.Arrays.copyOf(whole, 9))
                .hasMessage(p + ": truncated header: expected 2 bytes of header length, found 1");
        assertRefused("t.npy", java.util.Arrays.copyOf(npy(2, 0, F4_2X3, new byte[0]), 10))
                .hasMessage(p + ": truncated header: expected 4 bytes of header length, found 2");
        assertRefused("t.npy", java.util.Arrays.copyOf(whole, 30))
                .hasMessage(p + ": truncated header: expected " + F4_2X3.length() + " bytes of header, found 20");
    }

    @Test
    void refusesHeadersOver64KiB() throws IOException {
        String p = dir.resolve("big.npy").toString();
        String padded = F4_2X3 + " ".repeat(65536 - F4_2X3.length());
        assertThat(NpyReader.read(new ByteArrayInputStream(npy(2, 0, padded, new byte[24])), "ok")
                        .size())
                .isEqualTo(6);
        assertRefused("big.npy", npy(2, 0, padded + " ", new byte[24]))
                .hasMessage(p + ": header too large: 65537 bytes (limit 65536)");
        // a length field of 4 GiB is refused before anything is allocated
        byte[] huge = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 3, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertRefused("big.npy", huge).hasMessage(p + ": header too large: 4294967295 bytes (limit 65536)");
    }

    @Test
    void refusesTruncatedData() throws IOException {
        assertRefused("y_true.npy", v1(F4_2X3, new byte[20]))
                .hasMessage(dir.resolve("y_true.npy") + ": truncated data: expected 24 bytes, found 20");
        assertRefused("y_true.npy", v1(F4_2X3, new byte[0]))
                .hasMessage(dir.resolve("y_true.npy") + ": truncated data: expected 24 bytes, found 0");
        assertRefused("y_true.npy", v1("{'descr': '<f8', 'fortran_order': False, 'shape': ()}", new byte[5]))
                .hasMessage(dir.resolve("y_true.npy") + ": truncated data: expected 8 bytes, found 5");
    }

    @Test
    void refusesBytesAfterTheData() throws IOException {
        assertRefused("x.npy", v1(F4_2X3, new byte[27]))
                .hasMessage(dir.resolve("x.npy") + ": 3 unexpected bytes after the data");
        assertRefused("x.npy", v1(F4_2X3, new byte[25]))
                .hasMessage(dir.resolve("x.npy") + ": 1 unexpected byte after the data");
        assertRefused("x.npy", v1("{'descr': '<f4', 'fortran_order': False, 'shape': (0,)}", new byte[4]))
                .hasMessage(dir.resolve("x.npy") + ": 4 unexpected bytes after the data");
    }

    @Test
    void refusesMoreThanIntMaxElements() throws IOException {
        String p = dir.resolve("huge.npy").toString();
        assertRefused("huge.npy", v1("{'descr': '|u1', 'fortran_order': False, 'shape': (65536, 32768)}", new byte[0]))
                .hasMessage(p + ": array too large: shape (65536, 32768) has 2147483648 elements (limit 2147483647)");
        assertRefused(
                        "huge.npy",
                        v1("{'descr': '|u1', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", new byte[0]))
                .hasMessage(p + ": array too large: shape (4294967296, 4294967296) has more than 9223372036854775807"
                        + " elements (limit 2147483647)");
        assertRefused(
                        "huge.npy",
                        v1("{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999999999999,)}", new byte[0]))
                .hasMessage(p + ": array too large: dimension 99999999999999999999 in shape (99999999999999999999,)");
    }

    /** A header that claims 2^31-1 doubles but brings 16 bytes fails fast, without a 16 GiB allocation. */
    @Test
    void aLyingHeaderCostsNoMemory() throws IOException {
        assertRefused("lie.npy", v1("{'descr': '<f8', 'fortran_order': True, 'shape': (2147483647,)}", new byte[16]))
                .hasMessage(dir.resolve("lie.npy") + ": truncated data: expected 17179869176 bytes, found 16");
    }

    // ---- I/O errors and names ------------------------------------------------------------------

    @Test
    void streamMessagesUseTheGivenName() {
        assertThatThrownBy(() -> NpyReader.read(new ByteArrayInputStream(v1(F4_2X3, new byte[3])), "upload y_pred"))
                .isInstanceOf(NpyFormatException.class)
                .hasMessage("upload y_pred: truncated data: expected 24 bytes, found 3");
    }

    @Test
    void streamFailuresNameTheInput() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> NpyReader.read(failing, "remote.npy"))
                .isNotInstanceOf(NpyFormatException.class)
                .hasMessage("remote.npy: read failed: connection reset");
    }

    @Test
    void missingFilesAndDirectoriesNameThePath() {
        Path missing = dir.resolve("nope.npy");
        assertThatThrownBy(() -> NpyReader.read(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> NpyReader.read(dir))
                .isInstanceOf(IOException.class)
                .hasMessage(dir + ": is a directory, not a .npy file");
    }

    /** 16 x 256 x 256 x 5 float32, 21 MB: bulk reads keep this well under a second. */
    @Test
    void readsALargeFileQuickly() throws IOException {
        int n = 16 * 256 * 256 * 5;
        ByteBuffer data = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            data.putFloat(i % 1000 * 0.25f);
        }
        Path path = file(
                "big.npy", v1("{'descr': '<f4', 'fortran_order': False, 'shape': (16, 256, 256, 5), }", data.array()));
        data = null;

        long start = System.nanoTime();
        NpyArray a = NpyReader.read(path);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(a.shape()).containsExactly(16, 256, 256, 5);
        assertThat(a.values()).hasSize(n);
        assertThat(a.values()[n - 1]).isEqualTo((n - 1) % 1000 * 0.25);
        assertThat(a.values()[123_457]).isEqualTo(457 * 0.25);
        // generous for a loaded CI machine; a byte-at-a-time reader takes far longer
        assertThat(millis).isLessThan(3000);
    }
}
