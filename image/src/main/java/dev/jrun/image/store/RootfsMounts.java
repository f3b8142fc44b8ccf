package dev.jrun.image.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageJson;
import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bundle root filesystems as overlayfs mounts: the image's layer snapshots as read-only lower
 * dirs (top layer first) and the bundle's own upper and work dirs in {@code BUNDLE/.jrun/}, so
 * every container writes only its own copy. Each mount is recorded in {@code DATA/mounts/} so
 * prune keeps the snapshots it stands on; the record goes with {@code unmount}.
 */
public final class RootfsMounts {
    /** The bundle-private directory that holds the overlay's upper and work dirs. */
    public static final String PRIVATE_DIR = ".jrun";

    private final Path dir;
    private final Snapshots snapshots;

    RootfsMounts(Path dataRoot, Snapshots snapshots) {
        this.dir = dataRoot.resolve("mounts");
        this.snapshots = snapshots;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Record(String bundle, List<String> snapshots) {}

    /**
     * Mounts the overlay of {@code diffIds} (bottom layer first, as the image config lists them)
     * at {@code bundle/rootfs}. Throws LinuxException when the kernel refuses overlayfs (the
     * caller falls back to a copy) and ImageException for paths overlayfs cannot take.
     */
    public void mount(Path bundle, List<Digest> diffIds) throws IOException {
        Path b = bundle.toAbsolutePath().normalize();
        Path rootfs = b.resolve("rootfs");
        Path upper = b.resolve(PRIVATE_DIR).resolve("upper");
        Path work = b.resolve(PRIVATE_DIR).resolve("work");
        Files.createDirectories(rootfs);
        Files.createDirectories(upper);
        Files.createDirectories(work);
        StringBuilder lower = new StringBuilder();
        for (int i = diffIds.size() - 1; i >= 0; i--) {
            if (lower.length() > 0) lower.append(':');
            lower.append(overlayPath(snapshots.path(diffIds.get(i))));
        }
        String data = "lowerdir=" + lower + ",upperdir=" + overlayPath(upper) + ",workdir=" + overlayPath(work);
        if (data.length() >= 4096)
            throw new ImageException("overlay mount options for " + diffIds.size() + " layers exceed the kernel's page limit");
        writeRecord(b, diffIds);
        try {
            Libc.mount("overlay", rootfs.toString(), "overlay", 0, data);
        } catch (LinuxException e) {
            Files.deleteIfExists(recordFile(b));
            throw e;
        }
    }

    /** Unmounts {@code bundle/rootfs} if it is an overlay jrun mounted, and forgets the record. */
    public boolean unmount(Path bundle) throws IOException {
        Path b = bundle.toAbsolutePath().normalize();
        boolean was = isMounted(b);
        if (was) Libc.umount2(b.resolve("rootfs").toString(), 0);
        Files.deleteIfExists(recordFile(b));
        return was;
    }

    /** Whether bundle/rootfs is a mount point (its device differs from the bundle's). */
    public static boolean isMounted(Path bundle) throws IOException {
        Path rootfs = bundle.resolve("rootfs");
        if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) return false;
        return !Files.getAttribute(rootfs, "unix:dev", LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getAttribute(bundle, "unix:dev", LinkOption.NOFOLLOW_LINKS));
    }

    /** Snapshots that live overlay mounts stand on; records of bundles no longer mounted are dropped. */
    Set<Digest> snapshotsInUse() throws IOException {
        Set<Digest> out = new HashSet<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : s) {
                Record r;
                try {
                    r = ImageJson.MAPPER.readValue(f.toFile(), Record.class);
                } catch (IOException e) {
                    continue;
                }
                if (r.bundle() == null || !isMounted(Path.of(r.bundle()))) {
                    Files.deleteIfExists(f);
                    continue;
                }
                for (String d : r.snapshots()) out.add(Digest.parse(d));
            }
        }
        return out;
    }

    private void writeRecord(Path bundle, List<Digest> diffIds) throws IOException {
        Files.createDirectories(dir);
        List<String> ids = new ArrayList<>();
        for (Digest d : diffIds) ids.add(d.toString());
        Path tmp = Files.createTempFile(dir, "mount-", ".tmp");
        ImageJson.MAPPER.writeValue(tmp.toFile(), new Record(bundle.toString(), ids));
        Files.move(tmp, recordFile(bundle), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Path recordFile(Path bundle) {
        return dir.resolve(Digest.sha256(bundle.toString().getBytes(StandardCharsets.UTF_8)).hex() + ".json");
    }

    /** overlayfs splits its options at ',' and lower dirs at ':'; such paths are refused, not mangled. */
    private static String overlayPath(Path p) {
        String s = p.toString();
        if (s.indexOf(',') >= 0 || s.indexOf(':') >= 0 || s.indexOf('\\') >= 0)
            throw new ImageException("path " + s + " has a ',' ':' or '\\', which overlayfs mount options cannot carry");
        return s;
    }
}
