package dev.jrun.image.store;

import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.layer.LayerApplier;
import dev.jrun.linux.Flock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers unpacked once, keyed by diff_id (the digest of the uncompressed tar, so the same layer
 * gzip'd differently by two images is one snapshot), in overlayfs form: whiteouts as 0:0 char
 * devices and opaque directories by xattr. A snapshot is unpacked into tmp, its diff_id checked,
 * and renamed into place whole; a per-layer lock keeps two unpacks of one layer from both working.
 */
public final class Snapshots {
    private final Path dir;
    private final Path tmp;

    Snapshots(Path dataRoot) {
        this.dir = dataRoot.resolve("snapshots");
        this.tmp = dataRoot.resolve("tmp");
    }

    public Path path(Digest diffId) {
        return dir.resolve(diffId.algorithm()).resolve(diffId.hex());
    }

    public boolean has(Digest diffId) {
        return Files.isDirectory(path(diffId));
    }

    /** Opens a layer's (compressed) bytes. */
    public interface LayerOpener {
        InputStream open() throws IOException;
    }

    /** The snapshot of {@code diffId}, unpacking it from {@code layer} if it is not there yet. */
    public Path ensure(Digest diffId, LayerOpener layer, String what) throws IOException {
        Path target = path(diffId);
        if (Files.isDirectory(target)) return target;
        Files.createDirectories(tmp);
        try (Flock l = Flock.exclusive(tmp.resolve("snapshot-" + diffId.hex() + ".lock").toString())) {
            if (Files.isDirectory(target)) return target; // another process finished it meanwhile
            Path work = Files.createTempDirectory(tmp, "snapshot-");
            boolean done = false;
            try {
                LayerApplier.Result r;
                try (InputStream in = layer.open()) {
                    r = LayerApplier.apply(in, work, LayerApplier.Mode.OVERLAY);
                } catch (ImageException e) {
                    throw new ImageException(what + ": " + e.getMessage(), e);
                }
                if (!r.diffId().equals(diffId))
                    throw new ImageException(what + ": uncompressed content is " + r.diffId()
                            + " but the image config's diff_id is " + diffId);
                Files.createDirectories(target.getParent());
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
                done = true;
                return target;
            } finally {
                if (!done) Tree.delete(work);
            }
        }
    }

    public void delete(Digest diffId) throws IOException {
        Tree.delete(path(diffId));
    }

    public List<Digest> all() throws IOException {
        List<Digest> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> algs = Files.newDirectoryStream(dir)) {
            for (Path alg : algs) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(alg)) {
                    for (Path p : s) {
                        try {
                            out.add(new Digest(alg.getFileName().toString(), p.getFileName().toString()));
                        } catch (ImageException e) {
                            // a stray name, left alone
                        }
                    }
                }
            }
        }
        return out;
    }
}
