package dev.jrun.image.layer;

import dev.jrun.image.ImageException;
import dev.jrun.linux.Errno;
import dev.jrun.linux.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static dev.jrun.image.layer.LayerApplier.Mode.FLATTEN;
import static dev.jrun.image.layer.LayerApplier.Mode.OVERLAY;
import static dev.jrun.image.layer.LayerSupport.fails;
import static dev.jrun.image.layer.LayerSupport.flatten;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile layers: each tries to write, link, delete or chmod outside the root. A sentinel
 * directory next to the root (with a file "secret") is described before and after, and
 * nothing else may appear next to the root: the layer must fail with a message naming the
 * entry, or land inside the root.
 */
class LayerHostileTest {
    @TempDir Path tmp;
    Path root;
    Path sentinel;
    Map<String, String> before;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root"));
        sentinel = Files.createDirectory(tmp.resolve("sentinel"));
        Files.writeString(sentinel.resolve("secret"), "host secret\n");
        Files.createDirectory(sentinel.resolve("sub"));
        before = LayerSupport.describe(sentinel, true);
    }

    @AfterEach
    void sentinelUntouched() throws IOException {
        assertEquals(before, LayerSupport.describe(sentinel, true), "the sentinel next to the root changed");
        try (var s = Files.list(tmp)) {
            assertEquals(java.util.List.of("root", "sentinel"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "something was created next to the root");
        }
    }

    private String abs(Path p) {
        return p.toAbsolutePath().toString();
    }

    @Test
    void absolutePathsMeanTheRoot() throws IOException {
        flatten(new TarWriter().file("/" + abs(sentinel).substring(1) + "/secret", "overwritten?").file("/top", "x").finish(), root);
        assertEquals("overwritten?", Files.readString(root.resolve(abs(sentinel).substring(1)).resolve("secret")));
        assertEquals("x", Files.readString(root.resolve("top")));
    }

    @Test
    void dotDotEscapesAreErrorsNotClamps() {
        fails(new TarWriter().file("../sentinel/secret", "x").finish(), root, FLATTEN, "entry ../sentinel/secret escapes the root");
        fails(new TarWriter().file("a/../../sentinel/new", "x").finish(), root, FLATTEN, "entry a/../../sentinel/new escapes the root");
        fails(new TarWriter().dir("./../x/").finish(), root, OVERLAY, "escapes the root");
    }

    @Test
    void innerDotDotStaysInside() throws IOException {
        flatten(new TarWriter().file("a/b/../c", "x").finish(), root);
        assertEquals("x", Files.readString(root.resolve("a/c")));
    }

    @Test
    void relativeSymlinkThenWriteThroughLandsInside() throws IOException {
        flatten(new TarWriter().symlink("evil", "../sentinel").file("evil/secret", "pwned").finish(), root);
        // ".." from the root is the root: evil resolves to root/sentinel, created as a directory
        assertEquals("pwned", Files.readString(root.resolve("sentinel/secret")));
        flatten(new TarWriter().symlink("deep", "../../../../../../../..").file("deep/x", "1").finish(), root);
        assertEquals("1", Files.readString(root.resolve("x")));
    }

    @Test
    void absoluteSymlinkThenWriteThroughLandsInside() throws IOException {
        flatten(new TarWriter().symlink("evil", abs(sentinel)).file("evil/secret", "pwned").file("evil/sub/f", "pwned")
                .finish(), root);
        Path inside = root.resolve(abs(sentinel).substring(1));
        assertEquals("pwned", Files.readString(inside.resolve("secret")));
        assertEquals("pwned", Files.readString(inside.resolve("sub/f")));
        assertEquals(abs(sentinel), Files.readSymbolicLink(root.resolve("evil")).toString(), "symlink target written as is");
    }

    @Test
    void symlinkSwappedForADirectoryBetweenEntries() throws IOException {
        flatten(new TarWriter().dir("d/").symlink("d", abs(sentinel)).file("d/secret", "pwned")
                .symlink("d", "../sentinel").file("d/secret2", "pwned").finish(), root);
        assertTrue(Files.isSymbolicLink(root.resolve("d")));
        assertEquals("pwned", Files.readString(root.resolve(abs(sentinel).substring(1)).resolve("secret")));
        assertEquals("pwned", Files.readString(root.resolve("sentinel/secret2")));
    }

    @Test
    void symlinkLoopIsAnError() {
        fails(new TarWriter().symlink("a", "b").symlink("b", "a").file("a/f", "x").finish(), root, FLATTEN, "entry a/f", "ELOOP");
    }

    @Test
    void hardLinkToAnOutsidePath() throws IOException {
        fails(new TarWriter().hardLink("l", "../sentinel/secret").finish(), root, FLATTEN,
                "entry l: link target ../sentinel/secret escapes the root");
        fails(new TarWriter().hardLink("l", abs(sentinel.resolve("secret"))).finish(), root, FLATTEN,
                "entry l: hard link target " + abs(sentinel.resolve("secret")) + " does not exist");
        assertEquals(1, nlink(sentinel.resolve("secret")));
    }

    @Test
    void hardLinkThroughASymlinkPointingOut() throws IOException {
        fails(new TarWriter().symlink("evil", abs(sentinel)).hardLink("l", "evil/secret").finish(), root, FLATTEN,
                "entry l: hard link target evil/secret does not exist");
        fails(new TarWriter().symlink("evil2", "../sentinel").hardLink("l", "evil2/secret").finish(), root, FLATTEN,
                "entry l: hard link target evil2/secret does not exist");
        assertEquals(1, nlink(sentinel.resolve("secret")));
    }

    @Test
    void hardLinkToASymlinkPointingOutLinksTheSymlink() throws IOException {
        flatten(new TarWriter().symlink("s", abs(sentinel.resolve("secret"))).hardLink("h", "s").finish(), root);
        assertTrue(Files.isSymbolicLink(root.resolve("h")), "the link is to the symlink itself");
        assertEquals(1, nlink(sentinel.resolve("secret")));
    }

    @Test
    void whiteoutsCannotEscape() throws IOException {
        for (LayerApplier.Mode mode : LayerApplier.Mode.values()) {
            fails(new TarWriter().file(".wh..", "").finish(), root, mode, "entry .wh..", "unsupported whiteout name");
            fails(new TarWriter().file("a/.wh.", "").finish(), root, mode, "entry a/.wh.", "unsupported whiteout name");
            fails(new TarWriter().file("../.wh.sentinel", "").finish(), root, mode, "escapes the root");
            fails(new TarWriter().file("../sentinel/.wh.secret", "").finish(), root, mode, "escapes the root");
            fails(new TarWriter().file(".wh.sentinel/secret", "").finish(), root, mode, "whiteout name \".wh.sentinel\" used as a directory");
            fails(new TarWriter().file(".wh..wh.plnk", "").finish(), root, mode, "unsupported whiteout name \".wh..wh.plnk\"");
        }
    }

    @Test
    void whiteoutsThroughSymlinksStayInside() throws IOException {
        Files.writeString(root.resolve("victim"), "inside");
        flatten(new TarWriter().symlink("evil", abs(sentinel)).file("evil/.wh.secret", "").file("evil/.wh..wh..opq", "")
                .symlink("up", "../..").file("up/.wh.victim", "").finish(), root);
        assertFalse(Files.exists(root.resolve("victim")), "up/ resolved to the root, inside");
        apply(new TarWriter().symlink("evil", abs(sentinel)).file("evil/.wh.secret", "").file("evil/.wh..wh..opq", "")
                .finish(), OVERLAY);
        Path inside = root.resolve(abs(sentinel).substring(1));
        assertTrue(Files.isDirectory(inside));
    }

    @Test
    void devicesAndFifosThroughSymlinksStayInside() throws IOException {
        TarWriter.Header c = TarWriter.header("evil/null", '3');
        c.devMajor = 1;
        c.devMinor = 3;
        flatten(new TarWriter().symlink("evil", abs(sentinel)).entry(c, null).entry(TarWriter.header("evil/fifo", '6'), null)
                .finish(), root);
        assertTrue(Files.exists(root.resolve(abs(sentinel).substring(1)).resolve("fifo"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void overlongNames() {
        String component = "n".repeat(300);
        fails(new TarWriter().paxText("path", component).file("short", "x").finish(), root, FLATTEN,
                "entry " + component, "ENAMETOOLONG");
        String deep = ("d".repeat(200) + "/").repeat(25) + "f";
        fails(new TarWriter().paxText("path", deep).file("short", "x").finish(), root, FLATTEN, "entry " + deep.substring(0, 50));
        fails(new TarWriter().gnuLong('L', "x".repeat(9000)).file("short", "x").finish(), root, FLATTEN, "entry xxxxxxxx",
                "ENAMETOOLONG");
        fails(new TarWriter().gnuLong('L', "a/" + "x".repeat(9000)).file("short", "x").finish(), root, FLATTEN, "entry a/xxxx",
                "ENAMETOOLONG");
    }

    @Test
    void truncatedGzip() {
        byte[] tar = new TarWriter().file("a", "hello".repeat(1000)).file("b/c", new byte[100000]).finish();
        byte[] gz = TarWriter.gzip(tar);
        byte[] cut = Arrays.copyOf(gz, gz.length - 30);
        String m = fails(cut, root, FLATTEN, "truncated");
        assertTrue(m.contains("entry "), m);
        fails(Arrays.copyOf(gz, 40), root, FLATTEN, "truncated");
    }

    @Test
    void truncatedZstd() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(LayerSupport.hasCommand("zstd"), "zstd not installed");
        byte[] tar = new TarWriter().file("a", "hello".repeat(100000)).finish();
        Path t = tmp.resolve("root/l.tar");
        Files.write(t, tar);
        LayerSupport.run("zstd", "-q", "-f", t.toString(), "-o", t + ".zst").ok();
        byte[] z = Files.readAllBytes(Path.of(t + ".zst"));
        Files.delete(t);
        Files.delete(Path.of(t + ".zst"));
        fails(Arrays.copyOf(z, z.length - 10), root, FLATTEN, "truncated");
    }

    @Test
    void garbageInput() {
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        junk[0] = 'x';
        fails(junk, root, FLATTEN, "not a tar archive");
        fails("this is not a layer".getBytes(StandardCharsets.UTF_8), root, FLATTEN, "truncated");
        byte[] gzJunk = TarWriter.gzip(junk);
        fails(gzJunk, root, FLATTEN, "not a tar archive");
        byte[] badGzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        fails(badGzip, root, FLATTEN, "decompress");
        fails(new byte[] {0x1f, (byte) 0x8b, 8}, root, FLATTEN, "truncated");
        fails(new byte[] {0x1f, (byte) 0x8b, 9, 0, 0, 0, 0, 0, 0, 3}, root, FLATTEN, "decompress");
        fails(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x20}, root, FLATTEN, "truncated");
    }

    @Test
    void sizeLargerThanTheData() {
        TarWriter.Header h = TarWriter.header("big", '0');
        h.size = 1L << 20;
        byte[] t = new TarWriter().entry(h, "only this".getBytes(StandardCharsets.UTF_8)).unfinished();
        fails(t, root, FLATTEN, "entry big", "truncated");
        fails(TarWriter.gzip(t), root, FLATTEN, "entry big", "truncated");
    }

    @Test
    void corruptChecksum() {
        TarWriter.Header h = TarWriter.header("f", '0');
        h.checksum = 1234;
        fails(new TarWriter().file("ok", "1").entry(h, new byte[3]).finish(), root, FLATTEN, "checksum mismatch", "after entry ok");
    }

    @Test
    void unknownTypesAndSparseFiles() {
        fails(new TarWriter().entry(TarWriter.header("weird", 'Z'), null).finish(), root, FLATTEN,
                "entry weird: unsupported tar entry type 'Z'");
        fails(new TarWriter().entry(TarWriter.header("sparse", 'S'), null).finish(), root, FLATTEN,
                "entry sparse: GNU sparse files are not supported");
        fails(new TarWriter().paxText("GNU.sparse.major", "1").file("s", "x").finish(), root, FLATTEN, "sparse");
    }

    @Test
    void rootCannotBeReplaced() {
        fails(new TarWriter().file("./", "x").finish(), root, FLATTEN, "cannot replace the root");
        fails(new TarWriter().symlink("/", abs(sentinel)).finish(), root, FLATTEN, "cannot replace the root");
    }

    @Test
    void negativeSizes() {
        for (char type : new char[] {'0', 'x', 'L'}) {
            TarWriter.Header h = TarWriter.header("neg", type);
            h.size = -5L; // GNU base-256, negative
            fails(new TarWriter().entry(h, null).finish(), root, FLATTEN, "negative size");
        }
    }

    @Test
    void hugeMetaHeaderRefused() {
        TarWriter.Header h = TarWriter.header("PaxHeaders/x", 'x');
        h.size = 64L << 20;
        fails(new TarWriter().entry(h, null).unfinished(), root, FLATTEN, "extended header of 67108864 bytes");
    }

    @Test
    void noFdLeaks() throws IOException {
        long fds = openFds();
        for (int i = 0; i < 20; i++) {
            assertThrows(ImageException.class, () -> flatten(new TarWriter().dir("a/").dir("a/b/").file("a/b/c", "x")
                    .hardLink("l", "../x").finish(), root));
            flatten(new TarWriter().dir("a/").dir("a/b/").file("a/b/c", "x").symlink("s", "a").file("s/b/d", "y")
                    .file(".wh.a", "").finish(), root);
        }
        assertEquals(fds, openFds());
        assertEquals(Errno.ENOENT, Errno.ENOENT); // Errno and Libc load here, not inside the count
        assertTrue(Libc.getpid() > 0);
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private void apply(byte[] layer, LayerApplier.Mode mode) throws IOException {
        LayerApplier.apply(new ByteArrayInputStream(layer), root, mode, w -> { });
    }

    private static long nlink(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).longValue();
    }
}
