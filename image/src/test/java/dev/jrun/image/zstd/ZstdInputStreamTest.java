package dev.jrun.image.zstd;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The decoder against frames the zstd command writes, at every kind of setting it has. */
class ZstdInputStreamTest {
    @TempDir static Path tmp;

    @BeforeAll
    static void needsZstd() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "zstd"))) found = true;
        }
        assumeTrue(found, "the zstd command is not installed (apt-get install zstd)");
    }

    /** Text-like data: words from a small vocabulary, numbers, line structure (Huffman + matches). */
    static byte[] text(int size, long seed) {
        Random r = new Random(seed);
        String[] words = {"usr", "lib", "share", "the", "of", "container", "layer", "x86_64", "linux", "gnu", "=", "{", "}",
            "return", "int", "static", "void", "0x", "\n", "\t", "    ", "/", ".", "so"};
        StringBuilder sb = new StringBuilder(size + 32);
        while (sb.length() < size) {
            sb.append(words[r.nextInt(words.length)]);
            if (r.nextInt(5) == 0) sb.append(r.nextInt(100000));
            sb.append(r.nextInt(3) == 0 ? ' ' : '_');
        }
        return sb.substring(0, size).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Binary-like data: random runs, zero runs, and repeats from far back (long offsets). */
    static byte[] binary(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        int p = 0;
        while (p < size) {
            int kind = r.nextInt(4);
            int len = Math.min(size - p, 1 + r.nextInt(kind == 3 ? 5000 : 300));
            switch (kind) {
                case 0 -> { for (int i = 0; i < len; i++) b[p + i] = (byte) r.nextInt(256); }
                case 1 -> { }
                case 2 -> { for (int i = 0; i < len; i++) b[p + i] = (byte) r.nextInt(4); }
                default -> {
                    if (p > len) {
                        int from = r.nextInt(p - len + 1);
                        System.arraycopy(b, from, b, p, len);
                    }
                }
            }
            p += len;
        }
        return b;
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] zstd(byte[] data, String... args) throws IOException, InterruptedException {
        Path in = Files.createTempFile(tmp, "in", ".bin");
        Path out = Path.of(in + ".zst");
        Files.write(in, data);
        List<String> cmd = new ArrayList<>(List.of("zstd", "-q", "-f"));
        cmd.addAll(Arrays.asList(args));
        cmd.addAll(List.of(in.toString(), "-o", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "zstd " + cmd + ": " + msg);
        byte[] z = Files.readAllBytes(out);
        Files.delete(in);
        Files.delete(out);
        return z;
    }

    static byte[] decode(byte[] z) throws IOException {
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(z))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[7919]; // odd size: reads that split blocks
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            return out.toByteArray();
        }
    }

    @Test
    void everyLevelAndDataKind() throws Exception {
        int[] sizes = {0, 1, 17, 4096, 128 * 1024 - 1, 128 * 1024, 128 * 1024 + 1, 700_000};
        String[][] settings = {{"-1"}, {"-3"}, {"-9"}, {"-19"}, {"--fast=4"}, {"--no-check", "-5"}};
        long seed = 1;
        for (int size : sizes) {
            for (byte[] data : List.of(text(size, seed++), binary(size, seed++), random(size, seed++))) {
                for (String[] s : settings) {
                    assertArrayEquals(data, decode(zstd(data, s)), "size " + size + " " + String.join(" ", s));
                }
            }
        }
    }

    @Test
    void largeWindowsAndMultiThreadedFrames() throws Exception {
        byte[] data = binary(6_000_000, 99);
        assertArrayEquals(data, decode(zstd(data, "--ultra", "-22")));
        assertArrayEquals(data, decode(zstd(data, "--long=27", "-3")));
        assertArrayEquals(data, decode(zstd(data, "-T2", "-3")));
        byte[] t = text(3_000_000, 98);
        assertArrayEquals(t, decode(zstd(t, "-19", "--single-thread")));
    }

    @Test
    void concatenatedAndSkippableFrames() throws Exception {
        byte[] a = text(200_000, 5), b = binary(300_000, 6);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.writeBytes(zstd(a, "-3"));
        z.writeBytes(new byte[] {0x50, 0x2A, 0x4D, 0x18, 5, 0, 0, 0, 1, 2, 3, 4, 5}); // skippable, 5 bytes
        z.writeBytes(zstd(b, "-12"));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(a);
        expected.writeBytes(b);
        assertArrayEquals(expected.toByteArray(), decode(z.toByteArray()));
    }

    @Test
    void truncatedCorruptAndTrailingGarbage() throws Exception {
        byte[] data = text(500_000, 7);
        byte[] z = zstd(data, "-3");
        for (int cut : new int[] {1, 4, 6, 100, z.length / 2, z.length - 1}) {
            IOException e = assertThrows(IOException.class, () -> decode(Arrays.copyOf(z, cut)), "cut at " + cut);
            assertTrue(e instanceof EOFException || e.getMessage().contains("truncated"), e.getMessage());
        }
        byte[] badSum = z.clone();
        badSum[badSum.length - 1] ^= 0x55;
        assertTrue(assertThrows(ZstdFormatException.class, () -> decode(badSum)).getMessage().contains("checksum"));
        byte[] trailing = Arrays.copyOf(z, z.length + 4);
        trailing[z.length] = 'j';
        assertTrue(assertThrows(ZstdFormatException.class, () -> decode(trailing)).getMessage().contains("not a zstd frame"));
        // Corruption inside the compressed data: an error, never a hang or an out-of-bounds crash.
        Random r = new Random(3);
        for (int i = 0; i < 300; i++) {
            byte[] bad = z.clone();
            int at = 6 + r.nextInt(bad.length - 6);
            bad[at] ^= (byte) (1 + r.nextInt(255));
            try {
                byte[] out = decode(bad);
                // a flip in a raw block can decode; the checksum then disagrees, so never equal data silently
                assertTrue(!Arrays.equals(out, data) || at >= bad.length - 4, "flip at " + at);
            } catch (IOException expectedError) {
                // fine
            }
        }
    }

    @Test
    void windowAboveTheLimitIsRefused() {
        // frame header: magic, FHD 0 (window descriptor present), window exponent 31 (2^41 bytes)
        byte[] z = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x00, (byte) (31 << 3), 0x01, 0, 0};
        assertTrue(assertThrows(ZstdFormatException.class, () -> decode(z)).getMessage().contains("window"));
    }
}
