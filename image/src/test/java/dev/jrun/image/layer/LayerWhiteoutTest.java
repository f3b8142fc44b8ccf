package dev.jrun.image.layer;

import dev.jrun.linux.Libc;
import dev.jrun.linux.Xattr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

import static dev.jrun.image.layer.LayerApplier.Mode.FLATTEN;
import static dev.jrun.image.layer.LayerApplier.Mode.OVERLAY;
import static dev.jrun.image.layer.LayerSupport.apply;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whiteouts in both modes, and the two modes against each other: the overlayfs mount of the
 * OVERLAY snapshots must show what FLATTEN wrote.
 */
class LayerWhiteoutTest {
    @TempDir Path tmp;

    /** A lower layer with something for each kind of whiteout to remove. */
    static byte[] lower() {
        return new TarWriter().dir("a/").file("a/f1", "1").file("a/f2", "2").dir("a/sub/").file("a/sub/x", "x")
                .dir("b/").dir("b/deep/").file("b/deep/y", "y").file("c", "c")
                .dir("d/").file("d/old", "old").dir("d/x/").file("d/x/old", "old")
                .dir("target/").file("target/keep", "keep").symlink("link", "target")
                .dir("e/").file("e/same-layer", "lower").finish();
    }

    /** The upper layer: every directory listed (so directory times agree between the modes). */
    static byte[] upper() {
        return new TarWriter().dir("a/").file("a/.wh.f1", "").file(".wh.b", "").file(".wh.c", "")
                .dir("d/").file("d/new", "new").dir("d/x/").file("d/x/new", "new").file("d/.wh..wh..opq", "")
                .file(".wh.link", "").file(".wh.never-existed", "")
                .dir("e/").file("e/mine", "mine").file("e/.wh.mine", "")
                .dir("f/").file("f/.wh..wh..opq", "").file("f/after", "after").finish();
    }

    @Test
    void flattenRemovesFromLowerLayersOnly() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("flat"));
        apply(lower(), root, FLATTEN);
        apply(upper(), root, FLATTEN);
        assertFalse(Files.exists(root.resolve("a/f1")));
        assertEquals("2", Files.readString(root.resolve("a/f2")));
        assertTrue(Files.exists(root.resolve("a/sub/x")));
        assertFalse(Files.exists(root.resolve("b")), "a directory is removed with all it holds");
        assertFalse(Files.exists(root.resolve("c")));
        assertEquals(java.util.List.of("new", "x"), list(root.resolve("d")), "opaque: only this layer's members stay");
        assertEquals(java.util.List.of("new"), list(root.resolve("d/x")), "opaque reaches lower content under this layer's dirs");
        assertFalse(Files.exists(root.resolve("link"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(root.resolve("target/keep")), "removing a symlink does not follow it");
        assertEquals("mine", Files.readString(root.resolve("e/mine")), "a whiteout does not apply to its own layer");
        assertEquals("lower", Files.readString(root.resolve("e/same-layer")));
        assertEquals(java.util.List.of("after"), list(root.resolve("f")));
    }

    @Test
    void overlayKeepsWhiteoutsInOverlayfsForm() throws IOException {
        Path snap = Files.createDirectory(tmp.resolve("snap"));
        TarWriter.Header wh = TarWriter.header("a/.wh.f1", '0');
        wh.uid = 7;
        wh.gid = 8;
        apply(new TarWriter().entry(wh, null).file("d/.wh..wh..opq", "").file("nolisted/.wh..wh..opq", "").finish(), snap, OVERLAY);
        Map<String, Object> a = Files.readAttributes(snap.resolve("a/f1"), "unix:*", LinkOption.NOFOLLOW_LINKS);
        assertEquals(0020000, (Integer) a.get("mode") & 0170000, "a character device");
        assertEquals(0L, a.get("rdev"), "0:0");
        assertEquals(7, a.get("uid"));
        assertEquals(8, a.get("gid"));
        assertArrayEquals("y".getBytes(StandardCharsets.UTF_8), Xattr.lget(snap.resolve("d").toString(), "trusted.overlay.opaque"));
        assertArrayEquals("y".getBytes(StandardCharsets.UTF_8), Xattr.lget(snap.resolve("nolisted").toString(), "trusted.overlay.opaque"));
        assertNull(Xattr.lget(snap.resolve("a").toString(), "trusted.overlay.opaque"));
        assertFalse(Files.exists(snap.resolve("a/.wh.f1"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void overlayfsOfTheSnapshotsShowsWhatFlattenWrote() throws IOException {
        Path flat = Files.createDirectory(tmp.resolve("flat"));
        apply(lower(), flat, FLATTEN);
        apply(upper(), flat, FLATTEN);
        Path l1 = Files.createDirectory(tmp.resolve("l1"));
        Path l2 = Files.createDirectory(tmp.resolve("l2"));
        apply(lower(), l1, OVERLAY);
        apply(upper(), l2, OVERLAY);
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        Libc.mount("overlay", mnt.toString(), "overlay", Libc.MS_RDONLY, "lowerdir=" + l2 + ":" + l1);
        try {
            LayerSupport.assertSameTree(flat, mnt, false);
        } finally {
            Libc.umount2(mnt.toString(), Libc.MNT_DETACH);
        }
    }

    private static java.util.List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
