package dev.jrun.image.bundle;

import dev.jrun.image.ImageException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The image config's Volumes as bundle directories ({@code BUNDLE/volumes/NAME}) bound over
 * those paths, so what the application writes there stays out of the rootfs, as image-spec
 * conversion.md asks. Each is seeded with what the image holds at that path (docker's and
 * podman's copy-up of a new volume). Seeding walks the rootfs without following symlinks: a
 * volume path that passes through a symlink is mounted empty (the runtime resolves its
 * destination inside the rootfs), never copied from wherever the link points.
 */
final class ImageVolumes {
    static final String DIR = "volumes";

    private ImageVolumes() {}

    static List<BundleConfig.VolumeMount> create(Path bundle, Path rootfs, java.util.Map<String, Object> volumes)
            throws IOException {
        List<BundleConfig.VolumeMount> out = new ArrayList<>();
        if (volumes == null || volumes.isEmpty()) return out;
        for (String v : new TreeSet<>(volumes.keySet())) {
            String dest = normalize(v);
            Path source = bundle.resolve(DIR).resolve(dest.substring(1).replace("%", "%25").replace("/", "%2F"));
            Files.createDirectories(source);
            Path inImage = inRootfs(rootfs, dest);
            if (inImage != null) seed(inImage, source);
            out.add(new BundleConfig.VolumeMount(dest, source.toString()));
        }
        return out;
    }

    /** An absolute container path, normalized; "/" and paths with a ".." component are refused. */
    private static String normalize(String v) {
        if (!v.startsWith("/")) throw new ImageException("image config Volume \"" + v + "\" is not an absolute path");
        for (String c : v.split("/")) {
            if (c.equals("..")) throw new ImageException("image config Volume \"" + v + "\" climbs with \"..\"");
        }
        Path p = Path.of(v).normalize();
        if (p.getNameCount() == 0) throw new ImageException("image config Volume \"" + v + "\" is the root directory");
        return p.toString();
    }

    /** The directory at {@code dest} in the rootfs, reached through real directories only; else null. */
    private static Path inRootfs(Path rootfs, String dest) {
        Path p = rootfs;
        for (Path c : Path.of(dest.substring(1))) {
            p = p.resolve(c);
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return null;
        }
        return p;
    }

    /** Copies the tree at {@code from} into {@code to}, keeping modes, owners and times, links as links. */
    private static void seed(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                if (!dir.equals(from)) Files.createDirectory(target);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), LinkOption.NOFOLLOW_LINKS,
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) throw e;
                Path target = to.resolve(from.relativize(dir).toString());
                copyOwnerModeTimes(dir, target);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Owner, full mode (setgid and sticky included, which PosixFilePermission cannot carry) and times. */
    private static void copyOwnerModeTimes(Path from, Path to) throws IOException {
        for (String attr : new String[] {"unix:uid", "unix:gid", "unix:mode"})
            Files.setAttribute(to, attr, Files.getAttribute(from, attr, LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
        BasicFileAttributes a = Files.readAttributes(from, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Files.getFileAttributeView(to, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(a.lastModifiedTime(), a.lastAccessTime(), null);
    }
}
