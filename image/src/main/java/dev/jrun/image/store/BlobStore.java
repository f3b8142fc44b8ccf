package dev.jrun.image.store;

import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.io.ReadAhead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Blobs by digest under {@code DATA/blobs/<alg>/<hex>}. A blob is written to {@code DATA/tmp},
 * hashed while it streams, checked against the digest and size it was promised, synced, and only
 * then renamed into place: a reader never sees a half-written or wrong blob, two writers of the
 * same blob both succeed (the second rename replaces identical bytes), and a crash leaves at most
 * a file in tmp, which prune removes.
 */
public final class BlobStore {
    private static final int BUFFER = 1 << 20;
    /** Blobs larger than this are read ahead on a second thread (measured: a 65 MiB layer pull, about 50 ms less). */
    private static final long READ_AHEAD_FROM = 4 << 20;
    private final Path blobs;
    private final Path tmp;

    BlobStore(Path dataRoot) {
        this.blobs = dataRoot.resolve("blobs");
        this.tmp = dataRoot.resolve("tmp");
    }

    public Path path(Digest d) {
        return blobs.resolve(d.algorithm()).resolve(d.hex());
    }

    public boolean has(Digest d) {
        return Files.isRegularFile(path(d));
    }

    public long size(Digest d) throws IOException {
        return Files.size(path(d));
    }

    public InputStream open(Digest d) throws IOException {
        try {
            return Files.newInputStream(path(d));
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + d + " is not in the store (" + path(d) + ")");
        }
    }

    public byte[] read(Digest d) throws IOException {
        try {
            return Files.readAllBytes(path(d));
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + d + " is not in the store (" + path(d) + ")");
        }
    }

    /**
     * Copies {@code in} into the store as the blob {@code expected} of {@code expectedSize} bytes
     * (negative: unknown). {@code what} names the content for messages ("layer sha256:... of
     * image X"). {@code progress} gets byte counts as they arrive. On any failure nothing stays.
     */
    public void write(InputStream in, Digest expected, long expectedSize, String what, LongConsumer progress)
            throws IOException {
        if (expectedSize > READ_AHEAD_FROM && Runtime.getRuntime().availableProcessors() > 1) {
            // Receiving (a socket, a file) on one thread, hashing and writing on this one.
            try (ReadAhead ahead = new ReadAhead(in, 4, BUFFER, "jrun-blob-read")) {
                copy(ahead, expected, expectedSize, what, progress);
            }
        } else {
            copy(in, expected, expectedSize, what, progress);
        }
    }

    private void copy(InputStream in, Digest expected, long expectedSize, String what, LongConsumer progress)
            throws IOException {
        Files.createDirectories(tmp);
        Path part = Files.createTempFile(tmp, "blob-", ".part");
        boolean done = false;
        try {
            MessageDigest md = expected.newMessageDigest();
            long total = 0;
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[BUFFER];
                ByteBuffer bb = ByteBuffer.wrap(buf);
                int n;
                while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                    total += n;
                    if (expectedSize >= 0 && total > expectedSize)
                        throw new ImageException(what + ": more data than the " + expectedSize + " bytes its descriptor gives");
                    md.update(buf, 0, n);
                    bb.clear().limit(n);
                    while (bb.hasRemaining()) out.write(bb);
                    progress.accept(n);
                }
                if (expectedSize >= 0 && total != expectedSize)
                    throw new ImageException(what + ": truncated: got " + total + " of " + expectedSize + " bytes");
                Digest actual = Digest.of(md);
                if (!actual.equals(expected))
                    throw new ImageException(what + ": digest mismatch: expected " + expected + ", content is " + actual);
                out.force(true);
            }
            Path target = path(expected);
            Files.createDirectories(target.getParent());
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("data root's tmp and blobs are on different filesystems", e);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(part);
        }
    }

    /** Stores bytes already in memory (a manifest or config this process made or fetched). */
    public void write(byte[] data, Digest expected, String what) throws IOException {
        write(new java.io.ByteArrayInputStream(data), expected, data.length, what, n -> {});
    }

    public void delete(Digest d) throws IOException {
        Files.deleteIfExists(path(d));
    }

    /** Every blob in the store. */
    public List<Digest> all() throws IOException {
        List<Digest> out = new ArrayList<>();
        if (!Files.isDirectory(blobs)) return out;
        try (DirectoryStream<Path> algs = Files.newDirectoryStream(blobs)) {
            for (Path alg : algs) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(alg)) {
                    for (Path f : files) {
                        try {
                            out.add(new Digest(alg.getFileName().toString(), f.getFileName().toString()));
                        } catch (ImageException e) {
                            // not a blob name: a stray file, left alone
                        }
                    }
                }
            }
        }
        return out;
    }
}
