package dev.jrun.image.store;

import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlobStoreTest {
    @TempDir Path data;

    private static final byte[] HELLO = "hello, blob\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void storesVerifiedContentUnderItsDigest() throws IOException {
        ImageStore store = ImageStore.open(data);
        Digest d = Digest.sha256(HELLO);
        store.blobs().write(HELLO, d, "test blob");
        assertTrue(store.blobs().has(d));
        assertEquals(data.resolve("blobs/sha256/" + d.hex()), store.blobs().path(d));
        assertArrayEquals(HELLO, store.blobs().read(d));
        assertEquals(List.of(d), store.blobs().all());
        assertEmpty(data.resolve("tmp"));
    }

    @Test
    void aDigestMismatchLeavesNothing() throws IOException {
        ImageStore store = ImageStore.open(data);
        Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        ImageException e = assertThrows(ImageException.class, () -> store.blobs().write(HELLO, wrong, "layer X of img"));
        assertTrue(e.getMessage().contains("layer X of img") && e.getMessage().contains("digest mismatch")
                && e.getMessage().contains(wrong.toString()), e.getMessage());
        assertFalse(store.blobs().has(wrong));
        assertEmpty(data.resolve("tmp"));
    }

    @Test
    void truncatedAndOversizedContentIsRefused() throws IOException {
        ImageStore store = ImageStore.open(data);
        Digest d = Digest.sha256(HELLO);
        ImageException shortE = assertThrows(ImageException.class, () ->
                store.blobs().write(new ByteArrayInputStream(HELLO, 0, 5), d, HELLO.length, "blob", n -> {}));
        assertTrue(shortE.getMessage().contains("truncated: got 5 of " + HELLO.length), shortE.getMessage());
        ImageException longE = assertThrows(ImageException.class, () ->
                store.blobs().write(new ByteArrayInputStream(HELLO), d, 3, "blob", n -> {}));
        assertTrue(longE.getMessage().contains("more data than the 3 bytes"), longE.getMessage());
        assertFalse(store.blobs().has(d));
        assertEmpty(data.resolve("tmp"));
    }

    @Test
    void aStreamThatFailsMidwayLeavesNothing() throws IOException {
        ImageStore store = ImageStore.open(data);
        InputStream broken = new InputStream() {
            int n;
            @Override public int read() throws IOException {
                if (n++ < 1000) return 'x';
                throw new IOException("connection reset");
            }
        };
        Digest d = Digest.sha256(new byte[] {1});
        assertThrows(IOException.class, () -> store.blobs().write(broken, d, 5000, "blob", n -> {}));
        assertFalse(store.blobs().has(d));
        assertEmpty(data.resolve("tmp"));
    }

    @Test
    void largeBlobsAreReadAheadOnAnotherThreadWithTheSameChecks() throws IOException {
        ImageStore store = ImageStore.open(data);
        byte[] big = new byte[9 << 20];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7);
        Digest d = Digest.sha256(big);
        long[] progress = {0};
        store.blobs().write(new ByteArrayInputStream(big), d, big.length, "big blob", n -> progress[0] += n);
        assertEquals(big.length, progress[0]);
        assertEquals(big.length, store.blobs().size(d));

        // a stream that breaks after 6 MiB: the reader thread's error reaches the caller, nothing stays
        InputStream broken = new InputStream() {
            long n;
            @Override public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }
            @Override public int read(byte[] b, int off, int len) throws IOException {
                if (n >= 6 << 20) throw new IOException("connection reset after " + n);
                int k = (int) Math.min(len, (6 << 20) - n);
                n += k;
                return k;
            }
        };
        Digest other = Digest.sha256(new byte[] {2});
        IOException e = assertThrows(IOException.class, () -> store.blobs().write(broken, other, 8 << 20, "blob", n -> {}));
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertFalse(store.blobs().has(other));
        assertEmpty(data.resolve("tmp"));
        ImageException tooShort = assertThrows(ImageException.class, () -> store.blobs().write(
                new ByteArrayInputStream(big), d, big.length + 1, "big blob", n -> {}));
        assertTrue(tooShort.getMessage().contains("truncated"), tooShort.getMessage());
    }

    @Test
    void concurrentWritersOfOneBlobAllSucceed() throws Exception {
        ImageStore store = ImageStore.open(data);
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        Digest d = Digest.sha256(big);
        List<Future<?>> fs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 8; i++) fs.add(pool.submit(() -> { store.blobs().write(big, d, "blob"); return null; }));
            for (Future<?> f : fs) f.get();
        }
        assertArrayEquals(big, store.blobs().read(d));
        assertEmpty(data.resolve("tmp"));
    }

    @Test
    void aMissingBlobIsNamed() throws IOException {
        ImageStore store = ImageStore.open(data);
        Digest d = Digest.sha256(HELLO);
        ImageException e = assertThrows(ImageException.class, () -> store.blobs().read(d));
        assertTrue(e.getMessage().contains(d.toString()), e.getMessage());
    }

    static void assertEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), dir + " should be empty");
        }
    }
}
