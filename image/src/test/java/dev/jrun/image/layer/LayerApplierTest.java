package dev.jrun.image.layer;

import dev.jrun.image.Digest;
import dev.jrun.linux.Xattr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.jrun.image.layer.LayerApplier.Mode.FLATTEN;
import static dev.jrun.image.layer.LayerApplier.Mode.OVERLAY;
import static dev.jrun.image.layer.LayerSupport.apply;
import static dev.jrun.image.layer.LayerSupport.flatten;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layers that are fine: every entry type and its metadata, the tar dialects, the compressions. */
class LayerApplierTest {
    @TempDir Path tmp;

    private Path root() throws IOException {
        return Files.createTempDirectory(tmp, "root");
    }

    private static Map<String, Object> attrs(Path p) throws IOException {
        return Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) attrs(p).get("mode") & 07777;
    }

    private static long mtimeNs(Path p) throws IOException {
        return ((FileTime) attrs(p).get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
    }

    @Test
    void everyEntryTypeWithItsMetadata() throws IOException {
        Path root = root();
        TarWriter w = new TarWriter();
        TarWriter.Header d = TarWriter.header("usr/", '5');
        d.mode = 0755;
        d.mtime = 1111111111;
        w.entry(d, null);
        TarWriter.Header suid = TarWriter.header("usr/bin/su", '0');
        suid.mode = 04755;
        suid.uid = 1000;
        suid.gid = 2000;
        w.entry(suid, "elf".getBytes(StandardCharsets.UTF_8));
        TarWriter.Header contiguous = TarWriter.header("usr/c", '7');
        w.entry(contiguous, "contiguous".getBytes(StandardCharsets.UTF_8));
        TarWriter.Header old = TarWriter.header("usr/nul-type", '\0');
        w.entry(old, "old".getBytes(StandardCharsets.UTF_8));
        TarWriter.Header sticky = TarWriter.header("tmp/", '5');
        sticky.mode = 01777;
        w.entry(sticky, null);
        TarWriter.Header sgid = TarWriter.header("srv/", '5');
        sgid.mode = 02775;
        sgid.gid = 50;
        w.entry(sgid, null);
        TarWriter.Header ro = TarWriter.header("ro/", '5');
        ro.mode = 0555;
        w.entry(ro, null);
        w.file("ro/inside", "written after its directory, read-only in the archive");
        w.symlink("usr/link", "bin/su");
        TarWriter.Header chr = TarWriter.header("dev/null", '3');
        chr.mode = 0666;
        chr.devMajor = 1;
        chr.devMinor = 3;
        w.entry(chr, null);
        TarWriter.Header blk = TarWriter.header("dev/loop0", '4');
        blk.mode = 0660;
        blk.devMajor = 7;
        blk.devMinor = 0;
        blk.gid = 6;
        w.entry(blk, null);
        TarWriter.Header fifo = TarWriter.header("run/fifo", '6');
        fifo.mode = 0620;
        w.entry(fifo, null);
        w.hardLink("usr/bin/su-again", "usr/bin/su");
        LayerApplier.Result r = flatten(w.finish(), root);
        assertEquals(13, r.entries());
        assertEquals(3 + 10 + 3 + "written after its directory, read-only in the archive".length(), r.bytes());

        Path su = root.resolve("usr/bin/su");
        assertEquals(04755, mode(su), "setuid kept (chmod after chown)");
        assertEquals(1000, attrs(su).get("uid"));
        assertEquals(2000, attrs(su).get("gid"));
        assertEquals(1700000000L * 1_000_000_000L, mtimeNs(su));
        assertEquals("contiguous", Files.readString(root.resolve("usr/c")));
        assertEquals("old", Files.readString(root.resolve("usr/nul-type")));
        assertEquals(01777, mode(root.resolve("tmp")));
        assertEquals(02775, mode(root.resolve("srv")));
        assertEquals(50, attrs(root.resolve("srv")).get("gid"));
        assertEquals(0555, mode(root.resolve("ro")));
        assertEquals(1111111111L * 1_000_000_000L, mtimeNs(root.resolve("usr")), "directory mtime set after its children");
        assertEquals("bin/su", Files.readSymbolicLink(root.resolve("usr/link")).toString());
        assertEquals(0020000 | 0666, (Integer) attrs(root.resolve("dev/null")).get("mode"));
        assertEquals(dev.jrun.linux.Libc.makedev(1, 3), attrs(root.resolve("dev/null")).get("rdev"));
        assertEquals(0060000 | 0660, (Integer) attrs(root.resolve("dev/loop0")).get("mode"));
        assertEquals(6, attrs(root.resolve("dev/loop0")).get("gid"));
        assertEquals(0010000 | 0620, (Integer) attrs(root.resolve("run/fifo")).get("mode"));
        assertEquals(attrs(su).get("ino"), attrs(root.resolve("usr/bin/su-again")).get("ino"), "hard links share an inode");
        assertEquals(2, attrs(su).get("nlink"));
        // implicit parents (usr/bin, dev, run) exist as 0755 directories
        assertTrue(Files.isDirectory(root.resolve("usr/bin")));
        assertEquals(0755 & ~umask(), mode(root.resolve("dev")));
    }

    private static int umask() {
        int old = dev.jrun.linux.Libc.umask(022);
        dev.jrun.linux.Libc.umask(old);
        return old;
    }

    @Test
    void xattrsIncludingFileCapabilities() throws IOException {
        Path root = root();
        // VFS_CAP_REVISION_2, effective, permitted cap_net_raw (bit 13): what setcap cap_net_raw+ep writes.
        byte[] cap = HexFormat.of().parseHex("0100000200200000000000000000000000000000");
        Map<String, byte[]> x = new LinkedHashMap<>();
        x.put("SCHILY.xattr.security.capability", cap);
        x.put("SCHILY.xattr.user.test", "hello".getBytes(StandardCharsets.UTF_8));
        TarWriter.Header ping = TarWriter.header("bin/ping", '0');
        ping.mode = 0755;
        TarWriter w = new TarWriter().pax(x).entry(ping, "ping".getBytes(StandardCharsets.UTF_8));
        w.paxText("SCHILY.xattr.user.test", "on a dir").dir("d/");
        w.paxText("LIBARCHIVE.xattr.user.other", java.util.Base64.getEncoder().encodeToString("bsdtar".getBytes(StandardCharsets.UTF_8)))
                .file("d/bsd", "x");
        w.globalPax("SCHILY.xattr.user.other", "global").file("d/g1", "1").file("d/g2", "2");
        flatten(w.finish(), root);
        assertArrayEquals(cap, Xattr.lget(root.resolve("bin/ping").toString(), "security.capability"), "capability kept after chown/chmod");
        assertEquals("hello", xattr(root.resolve("bin/ping"), "user.test"));
        assertEquals("on a dir", xattr(root.resolve("d"), "user.test"));
        assertEquals("bsdtar", xattr(root.resolve("d/bsd"), "user.other"));
        assertEquals("global", xattr(root.resolve("d/g1"), "user.other"));
        assertEquals("global", xattr(root.resolve("d/g2"), "user.other"));
    }

    private static String xattr(Path p, String name) {
        byte[] v = Xattr.lget(p.toString(), name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    @Test
    void paxTimesWithFractionsAndOwnersBeyondOctal() throws IOException {
        Path root = root();
        TarWriter w = new TarWriter();
        w.paxText("mtime", "1234567890.123456789", "atime", "1000000000.5", "uid", "3000000000", "gid", "70000");
        w.file("f", "x");
        w.paxText("mtime", "-1.25").file("old", "x");
        w.paxText("mtime", "1600000000.987654321").dir("d/");
        w.file("d/child", "created after d: d's mtime must still be the archive's");
        TarWriter.Header big = TarWriter.header("base256", '0');
        big.base256Uid = true;
        big.uid = 4_000_000_000L;
        big.gid = 9_000_000;
        w.entry(big, new byte[0]);
        flatten(w.finish(), root);
        Path f = root.resolve("f");
        assertEquals(1234567890123456789L, mtimeNs(f));
        assertEquals(1000000000500000000L, ((FileTime) attrs(f).get("lastAccessTime")).to(TimeUnit.NANOSECONDS));
        assertEquals((int) 3000000000L, attrs(f).get("uid"));
        assertEquals(70000, attrs(f).get("gid"));
        assertEquals(-1250000000L, mtimeNs(root.resolve("old")));
        assertEquals(1600000000987654321L, mtimeNs(root.resolve("d")));
        assertEquals((int) 4_000_000_000L, attrs(root.resolve("base256")).get("uid"));
        assertEquals(9_000_000, attrs(root.resolve("base256")).get("gid"));
    }

    @Test
    void longNamesPaxAndGnu() throws IOException {
        Path root = root();
        String longDir = "a".repeat(120) + "/" + "b".repeat(150);
        String longName = longDir + "/" + "c".repeat(200);
        String longTarget = "../" + "t".repeat(180);
        String utf8 = new String("données/ünïcode-名前".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        TarWriter w = new TarWriter();
        w.paxText("path", longName).file("ignored-short-name", "pax");
        w.paxText("path", utf8).file("x", "utf8");
        w.gnuLong('L', longDir + "/gnu-long-file").file("short", "gnu");
        w.gnuLong('L', longDir + "/gnu-link").gnuLong('K', longTarget).symlink("s", "ignored");
        w.gnuLong('L', longDir + "/hard").paxText("linkpath", longName).hardLink("short-hard", "ignored");
        TarWriter.Header ustar = TarWriter.header("name-in-name-field", '0');
        w.entry(ustar, "u".getBytes(StandardCharsets.UTF_8));
        flatten(w.finish(), root);
        assertEquals("pax", Files.readString(root.resolve(longName)));
        assertEquals("utf8", Files.readString(root.resolve("données/ünïcode-名前")));
        assertEquals("gnu", Files.readString(root.resolve(longDir + "/gnu-long-file")));
        assertEquals(longTarget, Files.readSymbolicLink(root.resolve(longDir + "/gnu-link")).toString());
        assertEquals(attrs(root.resolve(longName)).get("ino"), attrs(root.resolve(longDir + "/hard")).get("ino"));
    }

    @Test
    void ustarPrefixField() throws IOException {
        // A POSIX ustar name split into prefix (155) and name (100), as GNU tar --format=ustar writes it.
        Path root = root();
        Path src = Files.createDirectories(tmp.resolve("src/" + "p".repeat(90) + "/" + "q".repeat(50)));
        Files.writeString(src.resolve("file-with-a-long-path"), "prefix");
        Path tar = tmp.resolve("ustar.tar");
        LayerSupport.run("tar", "--format=ustar", "-C", tmp.resolve("src").toString(), "-cf", tar.toString(), ".").ok();
        flatten(Files.readAllBytes(tar), root);
        assertEquals("prefix", Files.readString(root.resolve("p".repeat(90) + "/" + "q".repeat(50) + "/file-with-a-long-path")));
    }

    @Test
    void existingEntriesAreReplacedAsTarAndUmociDo() throws IOException {
        Path root = root();
        flatten(new TarWriter().file("f", "one").dir("empty/").dir("keep/").file("keep/old", "lower").dir("full/")
                .file("full/a", "a").dir("full/sub/").file("full/sub/b", "b").file("link-target", "t").finish(), root);
        TarWriter.Header keep = TarWriter.header("keep/", '5');
        keep.mode = 0700;
        keep.uid = 42;
        flatten(new TarWriter().file("f", "two").symlink("empty", "link-target").entry(keep, null)
                .file("full", "a file over a directory tree").hardLink("link-target", "f").finish(), root);
        assertEquals("two", Files.readString(root.resolve("f")));
        assertTrue(Files.isSymbolicLink(root.resolve("empty")), "a symlink over an empty directory");
        assertEquals("lower", Files.readString(root.resolve("keep/old")), "a directory over a directory keeps its contents");
        assertEquals(0700, mode(root.resolve("keep")));
        assertEquals(42, attrs(root.resolve("keep")).get("uid"));
        assertEquals("a file over a directory tree", Files.readString(root.resolve("full")));
        assertEquals(attrs(root.resolve("f")).get("ino"), attrs(root.resolve("link-target")).get("ino"));
        // a directory entry over a symlink to a directory replaces the symlink (as umoci does)
        flatten(new TarWriter().symlink("sd", "keep").dir("sd/").finish(), root);
        assertFalse(Files.isSymbolicLink(root.resolve("sd")));
        assertTrue(Files.isDirectory(root.resolve("sd")));
        assertEquals("lower", Files.readString(root.resolve("keep/old")));
    }

    @Test
    void lowerLayerSymlinksAreFollowedInsideTheRoot() throws IOException {
        // usrmerge: bin -> usr/bin in one layer, bin/tool in the next lands in usr/bin.
        Path root = root();
        flatten(new TarWriter().dir("usr/").dir("usr/bin/").symlink("bin", "usr/bin").symlink("lib", "/usr/lib").finish(), root);
        flatten(new TarWriter().file("bin/tool", "t").file("lib/libx.so", "l").finish(), root);
        assertEquals("t", Files.readString(root.resolve("usr/bin/tool")));
        assertEquals("l", Files.readString(root.resolve("usr/lib/libx.so")), "dangling absolute symlink: its target is made inside");
    }

    @Test
    void compressionsGiveTheSameTreeAndDiffId() throws IOException {
        byte[] tar = new TarWriter().dir("d/").file("d/a", "alpha".repeat(5000)).file("d/b", new byte[300_000]).finish();
        // with trailing zero padding after the end blocks, as tar writes to a 10240-byte record
        ByteArrayOutputStream padded = new ByteArrayOutputStream();
        padded.writeBytes(tar);
        padded.writeBytes(new byte[10240 - tar.length % 10240]);
        byte[] plain = padded.toByteArray();
        Digest expected = Digest.sha256(plain);
        Path r1 = root(), r2 = root(), r3 = root(), r4 = root();
        assertEquals(expected, flatten(plain, r1).diffId());
        assertEquals(expected, flatten(TarWriter.gzip(plain), r2).diffId());
        // gzip of several members (pigz, or layers appended together)
        int cut = 7000;
        ByteArrayOutputStream multi = new ByteArrayOutputStream();
        multi.writeBytes(TarWriter.gzip(java.util.Arrays.copyOfRange(plain, 0, cut)));
        multi.writeBytes(TarWriter.gzip(java.util.Arrays.copyOfRange(plain, cut, plain.length)));
        assertEquals(expected, flatten(multi.toByteArray(), r3).diffId());
        if (LayerSupport.hasCommand("zstd")) {
            Path t = tmp.resolve("l.tar");
            Files.write(t, plain);
            LayerSupport.run("zstd", "-q", "-f", "-19", t.toString(), "-o", t + ".zst").ok();
            assertEquals(expected, flatten(Files.readAllBytes(Path.of(t + ".zst")), r4).diffId());
            LayerSupport.assertSameTree(r1, r4, true);
        }
        LayerSupport.assertSameTree(r1, r2, true);
        LayerSupport.assertSameTree(r1, r3, true);
    }

    @Test
    void emptyArchiveAndEmptyStream() throws IOException {
        Path root = root();
        LayerApplier.Result r = flatten(new byte[1024], root);
        assertEquals(0, r.entries());
        assertEquals(Digest.sha256(new byte[1024]), r.diffId());
        assertEquals(Digest.sha256(new byte[0]), flatten(new byte[0], root).diffId());
    }

    @Test
    void rootEntryMetadataAppliesToTheTarget() throws IOException {
        Path root = root();
        TarWriter.Header dot = TarWriter.header("./", '5');
        dot.mode = 0750;
        dot.mtime = 1500000000;
        flatten(new TarWriter().entry(dot, null).file("./a", "x").finish(), root);
        assertEquals(0750, mode(root));
        assertEquals(1500000000L * 1_000_000_000L, mtimeNs(root));
    }

    @Test
    void overlayModeWritesEntriesLikeFlatten() throws IOException {
        Path a = root(), b = root();
        byte[] layer = new TarWriter().dir("x/").file("x/f", "1").symlink("x/l", "f").hardLink("x/h", "x/f").finish();
        apply(layer, a, FLATTEN);
        apply(layer, b, OVERLAY);
        LayerSupport.assertSameTree(a, b, true);
    }
}
