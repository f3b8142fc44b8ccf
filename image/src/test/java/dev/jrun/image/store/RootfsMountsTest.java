package dev.jrun.image.store;

import dev.jrun.image.Digest;
import dev.jrun.linux.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real overlayfs mounts of snapshot dirs (needs root, as the store does). */
class RootfsMountsTest {
    @TempDir Path tmp;

    @Test
    void aBundleRootfsIsTheOverlayOfItsSnapshotsAndWritesStayInTheBundle() throws IOException {
        ImageStore store = ImageStore.open(tmp.resolve("data"));
        Digest base = Digest.sha256("base".getBytes(StandardCharsets.UTF_8));
        Digest top = Digest.sha256("top".getBytes(StandardCharsets.UTF_8));
        Path b = store.snapshots().path(base);
        Files.createDirectories(b.resolve("etc"));
        Files.writeString(b.resolve("etc/os-release"), "base\n");
        Files.writeString(b.resolve("removed-later"), "x");
        Path t = store.snapshots().path(top);
        Files.createDirectories(t.resolve("etc"));
        Files.writeString(t.resolve("etc/os-release"), "top\n");
        Libc.mknod(t.resolve("removed-later").toString(), Libc.S_IFCHR | 0600, 0); // overlayfs whiteout

        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle);
        store.mounts().mount(bundle, List.of(base, top));
        try {
            Path rootfs = bundle.resolve("rootfs");
            assertTrue(RootfsMounts.isMounted(bundle));
            assertEquals("top\n", Files.readString(rootfs.resolve("etc/os-release")), "the top layer wins");
            assertFalse(Files.exists(rootfs.resolve("removed-later")), "the whiteout hides the lower file");
            Files.writeString(rootfs.resolve("etc/os-release"), "container\n");
            assertEquals("top\n", Files.readString(t.resolve("etc/os-release")), "snapshots stay read-only");
            assertEquals("container\n", Files.readString(bundle.resolve(".jrun/upper/etc/os-release")));

            ImageStore.PruneResult r = store.prune();
            assertEquals(List.of(), r.snapshots(), "snapshots under a mounted bundle are kept");
        } finally {
            store.mounts().unmount(bundle);
        }
        assertFalse(RootfsMounts.isMounted(bundle));
        assertEquals(2, store.prune().snapshots().size(), "once unmounted, nothing keeps them");
    }
}
