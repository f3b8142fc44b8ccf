package dev.jrun.image.layer;

import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Applies one image layer (a tar, plain, gzip or zstd) to a root directory, safely: nothing a
 * member names, links to or passes through can reach outside the root (see {@link RootedFs}).
 *
 * <p>The pieces: {@link Decompression} and {@link LayerStream} (magic bytes, diff_id hashing,
 * read-ahead thread), {@link TarReader} (the tar formats), {@link EntryPath} (names made
 * relative to the root), {@link EntryWriter} (each member and its metadata), {@link Whiteouts}
 * (both modes), {@link DirMetadata} (directory modes and times, last).
 */
public final class LayerApplier {
    private LayerApplier() {}

    /** FLATTEN: whiteouts delete from what lower layers left in root. OVERLAY: whiteouts are kept in overlayfs form. */
    public enum Mode { FLATTEN, OVERLAY }

    /** diffId: the sha256 of the uncompressed tar stream; entries and bytes written. */
    public record Result(Digest diffId, long entries, long bytes) {}

    /**
     * Decompression and hashing on a second thread, ahead of the file system work; on by
     * default where there is more than one CPU ({@code -Djrun.layer.readahead=false} turns it off).
     */
    private static boolean readAhead() {
        String p = System.getProperty("jrun.layer.readahead");
        if (p != null) return Boolean.parseBoolean(p);
        return Runtime.getRuntime().availableProcessors() > 1;
    }

    /** As {@link #apply(InputStream, Path, Mode, Consumer)}, warnings going to the platform logger. */
    public static Result apply(InputStream layer, Path root, Mode mode) throws IOException {
        return apply(layer, root, mode, LayerApplier::log);
    }

    /**
     * Unpacks {@code layer} (the raw blob) into the existing directory {@code root}. Errors are
     * {@link ImageException}s naming the member and what was wrong; on one, {@code root} is left
     * part-written (the caller removes it). {@code warn} receives what was skipped and why
     * (device nodes and xattrs an unprivileged process may not make).
     */
    public static Result apply(InputStream layer, Path root, Mode mode, Consumer<String> warn) throws IOException {
        LayerStream opened;
        try {
            opened = LayerStream.open(layer, readAhead());
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new ImageException("entry (start of the archive): " + TarReader.describe(e), e);
        }
        try (LayerStream in = opened;
             RootedFs fs = RootedFs.open(root)) {
            TarReader tar = new TarReader(in);
            EntryWriter writer = new EntryWriter(fs, tar, mode == Mode.FLATTEN, warn);
            TarEntry e;
            while ((e = tar.next()) != null) writer.write(e);
            writer.finish();
            try {
                in.drain();
            } catch (IOException x) {
                throw new ImageException("after the end of the archive: " + TarReader.describe(x), x);
            }
            return new Result(in.digest(), writer.entries(), writer.bytes());
        }
    }

    private static void log(String message) {
        System.getLogger(LayerApplier.class.getName()).log(System.Logger.Level.WARNING, message);
    }
}
