package dev.jrun.image.layer;

import dev.jrun.image.ImageException;
import dev.jrun.linux.Xattr;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helpers of the layer tests: applying bytes, describing trees, running host tools. */
final class LayerSupport {
    private LayerSupport() {}

    static final List<String> XATTRS = List.of("user.test", "user.other", "security.capability", "trusted.overlay.opaque");

    static LayerApplier.Result apply(byte[] layer, Path root, LayerApplier.Mode mode) throws IOException {
        return LayerApplier.apply(new ByteArrayInputStream(layer), root, mode, w -> { });
    }

    static LayerApplier.Result flatten(byte[] layer, Path root) throws IOException {
        return apply(layer, root, LayerApplier.Mode.FLATTEN);
    }

    /** Applies {@code layer}, expects an ImageException mentioning each of {@code parts}; returns its message. */
    static String fails(byte[] layer, Path root, LayerApplier.Mode mode, String... parts) {
        ImageException e = assertThrows(ImageException.class, () -> apply(layer, root, mode));
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message \"" + e.getMessage() + "\" should contain \"" + p + "\"");
        return e.getMessage();
    }

    /**
     * Every file under {@code dir} (symlinks not followed) as "path: type mode uid:gid size
     * mtime link/content nlink rdev xattrs", sorted: two trees are equal when these are.
     */
    static Map<String, String> describe(Path dir, boolean withNlink) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = dir.relativize(p).toString();
                String d = describeOne(p, withNlink);
                // the roots being compared were made at different times, and their mtime is the
                // last child's creation unless the archive lists "./"; tests check it by itself
                if (rel.isEmpty()) d = d.replaceFirst(" mtime=\\d+", "");
                out.put(rel.isEmpty() ? "." : rel, d);
            }
        }
        return out;
    }

    static String describeOne(Path p, boolean withNlink) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        StringBuilder sb = new StringBuilder();
        sb.append(Integer.toOctalString(mode)).append(' ').append(a.get("uid")).append(':').append(a.get("gid"));
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        sb.append(" mtime=").append(mtime.to(TimeUnit.NANOSECONDS));
        int type = mode & 0170000;
        if (type == 0100000) {
            sb.append(" size=").append(a.get("size")).append(" sha=").append(sha256(Files.readAllBytes(p)));
            if (withNlink) sb.append(" nlink=").append(a.get("nlink"));
        } else if (type == 0120000) {
            sb.append(" -> ").append(Files.readSymbolicLink(p));
        } else if (type == 0020000 || type == 0060000) {
            sb.append(" rdev=").append(a.get("rdev"));
        }
        for (String x : XATTRS) {
            byte[] v = Xattr.lget(p.toString(), x);
            if (v != null) sb.append(' ').append(x).append('=').append(HexFormat.of().formatHex(v));
        }
        return sb.toString();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts two trees are the same, listing the first differences. */
    static void assertSameTree(Path expected, Path actual, boolean withNlink) throws IOException {
        Map<String, String> e = describe(expected, withNlink);
        Map<String, String> a = describe(actual, withNlink);
        List<String> diffs = new ArrayList<>();
        for (String k : new java.util.TreeSet<>(union(e, a))) {
            if (!java.util.Objects.equals(e.get(k), a.get(k))) diffs.add(k + "\n  expected " + e.get(k) + "\n  actual   " + a.get(k));
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " differences, first: " + String.join("\n", diffs.subList(0, Math.min(10, diffs.size()))));
        assertEquals(e.size(), a.size());
    }

    private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> s = new java.util.HashSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    record Cmd(int exit, String out) {
        Cmd ok() {
            if (exit != 0) throw new AssertionError("exit " + exit + ": " + out);
            return this;
        }
    }

    /** Runs a host command (stdout and stderr together), failing the test if it cannot start. */
    static Cmd run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new Cmd(p.waitFor(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static boolean hasCommand(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) return true;
        }
        return false;
    }
}
