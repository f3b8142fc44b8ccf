package dev.jrun.image.layer;

import dev.jrun.image.Digest;
import dev.jrun.linux.Libc;
import dev.jrun.linux.Xattr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static dev.jrun.image.layer.LayerSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Against software nobody here wrote: archives made by GNU tar (each of its formats, with
 * xattrs), extracted by GNU tar and by the applier; the two trees must be the same in type,
 * mode, owner, size, mtime, link target, content, link count, device numbers and xattrs, and
 * the diffId must be what sha256sum says of the archive.
 */
class LayerGnuTarTest {
    @TempDir static Path shared;
    static Path source;

    /** A tree with a bit of everything a layer carries. */
    @BeforeAll
    static void makeSource() throws IOException {
        source = Files.createDirectories(shared.resolve("src"));
        Path s = source;
        Files.createDirectories(s.resolve("usr/bin"));
        Files.writeString(s.resolve("usr/bin/tool"), "#!/bin/sh\necho tool\n");
        Files.writeString(s.resolve("usr/bin/suid"), "suid");
        Files.writeString(s.resolve("usr/bin/ping"), "ping");
        Files.write(s.resolve("usr/bin/big"), bigContent());
        Files.createFile(s.resolve("usr/bin/empty"));
        Files.createLink(s.resolve("usr/bin/tool-hard"), s.resolve("usr/bin/tool"));
        Files.createLink(s.resolve("usr/tool-hard-2"), s.resolve("usr/bin/tool"));
        Files.createSymbolicLink(s.resolve("usr/bin/rel"), Path.of("tool"));
        Files.createSymbolicLink(s.resolve("usr/abs"), Path.of("/usr/bin/tool"));
        Files.createSymbolicLink(s.resolve("dangling"), Path.of("../nowhere/at/all"));
        Files.createDirectories(s.resolve("tmp"));
        Files.createDirectories(s.resolve("srv/shared"));
        Files.createDirectories(s.resolve("ro"));
        Files.writeString(s.resolve("ro/file"), "in a read-only dir");
        String longDir = "long-" + "d".repeat(120) + "/" + "e".repeat(140);
        Files.createDirectories(s.resolve(longDir));
        Files.writeString(s.resolve(longDir + "/" + "f".repeat(180)), "long");
        Files.createSymbolicLink(s.resolve("long-link"), Path.of(longDir + "/" + "f".repeat(180)));
        Files.createLink(s.resolve("long-hard"), s.resolve(longDir + "/" + "f".repeat(180)));
        Files.writeString(s.resolve("ünïcödé-名前.txt"), "utf-8 name");
        Libc.mkfifo(s.resolve("fifo").toString(), 0640);
        Files.createDirectories(s.resolve("dev"));
        Libc.mknod(s.resolve("dev/null").toString(), Libc.S_IFCHR | 0666, Libc.makedev(1, 3));
        Libc.mknod(s.resolve("dev/sda").toString(), Libc.S_IFBLK | 0660, Libc.makedev(8, 0));

        Libc.lchown(s.resolve("usr/bin/suid").toString(), 1000, 1000);
        Libc.chmod(s.resolve("usr/bin/suid").toString(), 04755);
        Libc.chmod(s.resolve("usr/bin/tool").toString(), 0755);
        Libc.lchown(s.resolve("srv/shared").toString(), 33, 50);
        Libc.chmod(s.resolve("srv/shared").toString(), 02775);
        Libc.chmod(s.resolve("tmp").toString(), 01777);
        Libc.lchown(s.resolve("usr/abs").toString(), 7, 8);
        Libc.lchown(s.resolve("dev/sda").toString(), 0, 6);
        Xattr.lset(s.resolve("usr/bin/ping").toString(), "security.capability",
                HexFormat.of().parseHex("0100000200200000000000000000000000000000"));
        Libc.chmod(s.resolve("usr/bin/ping").toString(), 0755);
        Xattr.lset(s.resolve("usr/bin/tool").toString(), "user.test", "tool attr".getBytes(StandardCharsets.UTF_8));
        Xattr.lset(s.resolve("srv/shared").toString(), "user.other", "dir attr".getBytes(StandardCharsets.UTF_8));
        // distinct times, with nanoseconds, on everything (directories last: children change them)
        long t = 1_600_000_000L;
        try (var w = Files.walk(s)) {
            for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                t += 7;
                FileTime ft = FileTime.from(t * 1_000_000_000L + 123_456_789L, TimeUnit.NANOSECONDS);
                // setLastModifiedTime opens the file, which blocks on a FIFO: touch -h for non-files
                if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    run("touch", "-h", "-d", "@" + t + ".123456789", p.toString()).ok();
                else Files.setLastModifiedTime(p, ft);
            }
        }
        Libc.chmod(s.resolve("ro").toString(), 0555);
    }

    private static byte[] bigContent() {
        byte[] b = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(1).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix", "oldgnu"})
    void sameTreeAsGnuTar(String format, @TempDir Path tmp) throws IOException {
        Path tar = tmp.resolve("layer.tar");
        run("tar", "--format=" + format, "--numeric-owner", "--xattrs", "--xattrs-include=*", "-C", source.toString(),
                "-cf", tar.toString(), ".").ok();
        compare(tar, tmp);
        assertEquals(LayerSupport.describeOne(tmp.resolve("gnu"), true), LayerSupport.describeOne(tmp.resolve("ours"), true),
                "the root, from the ./ entry");
    }

    @Test
    void realHostTreeAsGnuTarExtractsIt(@TempDir Path tmp) throws IOException {
        Path tar = tmp.resolve("host.tar");
        // /etc and the time zone data: real names, symlink farms, odd modes; read as root.
        run("tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "--format=posix", "-C", "/", "-cf", tar.toString(),
                "--warning=no-file-changed", "--ignore-failed-read",
                // The parents too (else both extractions give them the time of the run), in
                // depth-first order: GNU tar sets a directory's times when it leaves it, so an
                // archive that comes back into a directory later leaves it with the time of the
                // run there (the applier sets all directory times at the end instead).
                "etc", "--no-recursion", "usr", "usr/lib", "usr/lib/x86_64-linux-gnu",
                "--recursion", "usr/lib/x86_64-linux-gnu/gconv", "--no-recursion", "usr/share",
                "--recursion", "usr/share/zoneinfo");
        compare(tar, tmp);
    }

    private void compare(Path tar, Path tmp) throws IOException {
        Path gnu = Files.createDirectory(tmp.resolve("gnu"));
        Path ours = Files.createDirectory(tmp.resolve("ours"));
        run("tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf", tar.toString(), "-C", gnu.toString()).ok();
        LayerApplier.Result r = LayerSupport.flatten(Files.readAllBytes(tar), ours);
        LayerSupport.assertSameTree(gnu, ours, true);
        String sha = run("sha256sum", tar.toString()).ok().out().substring(0, 64);
        assertEquals(new Digest("sha256", sha), r.diffId());
    }
}
