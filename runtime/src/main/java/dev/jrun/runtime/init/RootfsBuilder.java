package dev.jrun.runtime.init;

import dev.jrun.linux.Fds;
import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.spec.Device;
import dev.jrun.runtime.spec.Mount;
import dev.jrun.runtime.spec.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the container's root filesystem inside the init's private mount namespace: propagation,
 * the rootfs bind, every configured mount, /dev, and then pivot_root. Nothing here can reach the
 * host's mount table: "/" is made slave (or private) first, and every destination is resolved
 * inside the rootfs.
 */
final class RootfsBuilder {
    /** A cgroup mount made later, once the init has joined its cgroup (see ContainerInit). */
    record DeferredCgroupMount(String containerPath, MountOptions options) {}

    private record DefaultDevice(String path, int type, long major, long minor, int mode) {}

    private static final List<DefaultDevice> DEFAULT_DEVICES = List.of(
            new DefaultDevice("/dev/null", Libc.S_IFCHR, 1, 3, 0666),
            new DefaultDevice("/dev/zero", Libc.S_IFCHR, 1, 5, 0666),
            new DefaultDevice("/dev/full", Libc.S_IFCHR, 1, 7, 0666),
            new DefaultDevice("/dev/random", Libc.S_IFCHR, 1, 8, 0666),
            new DefaultDevice("/dev/urandom", Libc.S_IFCHR, 1, 9, 0666),
            new DefaultDevice("/dev/tty", Libc.S_IFCHR, 5, 0, 0666));

    private final InitConfig cfg;
    private final Spec spec;
    private final Path rootfs;
    private final List<DeferredCgroupMount> cgroupMounts = new ArrayList<>();
    private final List<String> readonlyTmpfs = new ArrayList<>();
    private final boolean devicesRestricted;

    RootfsBuilder(InitConfig cfg, Spec spec) {
        this.cfg = cfg;
        this.spec = spec;
        this.devicesRestricted = DevicePolicy.restricted(spec);
        this.rootfs = Path.of(cfg.rootfs());
    }

    List<DeferredCgroupMount> cgroupMounts() {
        return cgroupMounts;
    }

    /** Everything before pivot_root. */
    void prepare() {
        if (!Files.isDirectory(rootfs)) {
            throw new JrunException("rootfs " + rootfs + " does not exist or is not a directory");
        }
        String prop = spec.linux() == null ? null : spec.linux().rootfsPropagation();
        long rootFlag = Libc.MS_SLAVE | Libc.MS_REC;
        if (prop != null && !prop.isEmpty()) {
            Long p = MountOptions.PROPAGATION.get(prop);
            if (p == null) throw new JrunException("linux.rootfsPropagation \"" + prop + "\" is not a propagation mode");
            rootFlag = p;
        }
        Libc.mount(null, "/", null, rootFlag, null);
        makeParentMountPrivate();
        Libc.mount(rootfs.toString(), rootfs.toString(), null, Libc.MS_BIND | Libc.MS_REC, null);
        if (devicesRestricted) {
            // Device nodes in the image stay unusable (see DevicePolicy).
            Libc.mount(null, rootfs.toString(), null,
                    Libc.MS_BIND | Libc.MS_REMOUNT | Libc.mountFlagsOf(rootfs.toString()) | Libc.MS_NODEV, null);
        }

        boolean devFromHost = false;
        if (spec.mounts() != null) {
            for (int i = 0; i < spec.mounts().size(); i++) {
                Mount m = spec.mounts().get(i);
                try {
                    mountOne(m);
                } catch (LinuxException | IOException | IllegalArgumentException e) {
                    throw new JrunException("cannot mount " + describe(m) + " (config.json $.mounts[" + i + "]): "
                            + e.getMessage(), e);
                }
                if ("/dev".equals(clean(m.destination())) && MountOptions.parse(m.options()).bind()) devFromHost = true;
            }
        }
        if (!devFromHost && devicesRestricted && !hasDevMount()) {
            // The rootfs is nodev now: the nodes jrun makes need a /dev of their own.
            Path dev = SecurePath.resolve(rootfs, "/dev");
            try {
                SecurePath.mkdirs(dev);
            } catch (IOException e) {
                throw new JrunException("cannot create /dev in the rootfs: " + e.getMessage(), e);
            }
            Libc.mount("tmpfs", dev.toString(), "tmpfs", Libc.MS_NOSUID | Libc.MS_STRICTATIME, "mode=755,size=65536k");
        }
        if (!devFromHost) {
            createDevices();
            createDevSymlinks();
        }
        createCwd();
        // /dev/ptmx must be the new devpts instance's, not the host's. Not when /dev is the
        // host's own (bound): that /dev/ptmx belongs to the host and must stay as it is.
        if (!devFromHost && isMountedDevpts()) {
            Path ptmx = SecurePath.resolveEntry(rootfs, "/dev/ptmx");
            try {
                Files.deleteIfExists(ptmx);
                Files.createSymbolicLink(ptmx, Path.of("pts/ptmx"));
            } catch (IOException e) {
                throw new JrunException("cannot link /dev/ptmx to pts/ptmx: " + e.getMessage(), e);
            }
        }
    }

    /** process.cwd is created inside the rootfs when missing, as runc does (before it may turn read-only). */
    private void createCwd() {
        String cwd = spec.process() == null ? null : spec.process().cwd();
        if (cwd == null || cwd.isEmpty() || cwd.equals("/")) return;
        try {
            SecurePath.mkdirs(SecurePath.resolve(rootfs, cwd));
        } catch (IOException e) {
            throw new JrunException("cannot create the working directory " + cwd + " in the rootfs: " + e.getMessage(), e);
        }
    }

    private boolean hasDevMount() {
        return spec.mounts() != null && spec.mounts().stream().anyMatch(m -> "/dev".equals(clean(m.destination())));
    }

    private boolean isMountedDevpts() {
        if (spec.mounts() == null) return false;
        return spec.mounts().stream().anyMatch(m -> "devpts".equals(m.type()) && "/dev/pts".equals(clean(m.destination())));
    }

    /** pivot_root needs the mount holding the rootfs to be non-shared. */
    private void makeParentMountPrivate() {
        String mp = MountInfo.mountPointOf(rootfs.toString());
        if (mp != null && MountInfo.isShared(mp)) {
            Libc.mount(null, mp, null, Libc.MS_PRIVATE, null);
        }
    }

    private void mountOne(Mount m) throws IOException {
        MountOptions o = MountOptions.parse(m.options());
        String type = m.type() == null ? "" : m.type();
        Path dest = SecurePath.resolve(rootfs, m.destination());
        // Checked on the resolved path too: a symlink in the image must not lead a mount into /proc.
        ProcMountRule.check("/" + rootfs.relativize(dest), m);
        if (type.equals("cgroup") || type.equals("cgroup2")) {
            SecurePath.mkdirs(dest);
            cgroupMounts.add(new DeferredCgroupMount("/" + rootfs.relativize(dest), o));
            return;
        }
        if (o.bind()) {
            String src = m.source();
            if (src == null || src.isEmpty()) throw new IllegalArgumentException("a bind mount needs a source");
            Path source = Path.of(src);
            if (!source.isAbsolute()) source = Path.of(cfg.bundle()).resolve(source);
            if (!Files.exists(source)) {
                throw new IllegalArgumentException("source " + source + " does not exist");
            }
            if (Files.isDirectory(source)) {
                SecurePath.mkdirs(dest);
            } else if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                SecurePath.mkdirs(dest.getParent());
                Files.createFile(dest);
            }
            Libc.mount(source.toString(), dest.toString(), null, Libc.MS_BIND | (o.recursive() ? Libc.MS_REC : 0), null);
            long extra = o.remountFlags();
            // Binds outside /dev are nodev while device rules deny (DevicePolicy); binds into /dev
            // are deliberate device exposures.
            String inContainer = "/" + rootfs.relativize(dest);
            if (devicesRestricted && !inContainer.equals("/dev") && !inContainer.startsWith("/dev/")) {
                extra |= Libc.MS_NODEV;
            }
            if (extra != 0 || o.clearFlags() != 0) {
                long keep = Libc.mountFlagsOf(dest.toString()) & ~o.clearFlags();
                Libc.mount(null, dest.toString(), null,
                        Libc.MS_BIND | Libc.MS_REMOUNT | keep | extra | (o.recursive() ? Libc.MS_REC : 0), null);
            }
        } else {
            SecurePath.mkdirs(dest);
            long flags = o.flags();
            if (type.equals("tmpfs") && (flags & Libc.MS_RDONLY) != 0) {
                // Mounts may still be made below it: make it read-only once everything is in place.
                flags &= ~Libc.MS_RDONLY;
                readonlyTmpfs.add("/" + rootfs.relativize(dest));
            }
            String source = m.source() == null || m.source().isEmpty() ? type : m.source();
            Libc.mount(source, dest.toString(), type, flags, o.data().isEmpty() ? null : o.data());
        }
        for (long p : o.propagation()) {
            Libc.mount(null, dest.toString(), null, p, null);
        }
    }

    private void createDevices() {
        List<String> configured = new ArrayList<>();
        if (spec.linux() != null && spec.linux().devices() != null) {
            for (Device d : spec.linux().devices()) configured.add(clean(d.path()));
        }
        for (DefaultDevice d : DEFAULT_DEVICES) {
            if (configured.contains(d.path())) continue;
            makeDevice(d.path(), d.type(), d.major(), d.minor(), d.mode(), 0, 0);
        }
        if (spec.linux() != null && spec.linux().devices() != null) {
            for (Device d : spec.linux().devices()) {
                int type = switch (d.type()) {
                    case "c", "u" -> Libc.S_IFCHR;
                    case "b" -> Libc.S_IFBLK;
                    case "p" -> Libc.S_IFIFO;
                    default -> throw new JrunException("device " + d.path() + " has unknown type " + d.type());
                };
                int mode = d.fileMode() == null ? 0666 : d.fileMode();
                makeDevice(d.path(), type, d.major(), d.minor(), mode, d.uid() == null ? 0 : d.uid(),
                        d.gid() == null ? 0 : d.gid());
            }
        }
    }

    private void makeDevice(String path, int type, long major, long minor, int mode, long uid, long gid) {
        Path dest = SecurePath.resolveEntry(rootfs, path);
        try {
            SecurePath.mkdirs(dest.getParent());
            Files.deleteIfExists(dest);
            try {
                Libc.mknod(dest.toString(), type | (mode & 07777), Libc.makedev(major, minor));
            } catch (LinuxException e) {
                if (!e.is(dev.jrun.linux.Errno.EPERM) || type == Libc.S_IFIFO) throw e;
                // No CAP_MKNOD here: bind the host's node instead, as runc does.
                Files.createFile(dest);
                Libc.mount(path, dest.toString(), null, Libc.MS_BIND, null);
                return;
            }
            Libc.chmod(dest.toString(), mode & 07777);
            Libc.lchown(dest.toString(), (int) uid, (int) gid);
        } catch (IOException | LinuxException e) {
            throw new JrunException("cannot create device " + path + ": " + e.getMessage(), e);
        }
    }

    private void createDevSymlinks() {
        String[][] links = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
                {"/proc/self/fd/2", "stderr"}};
        List<String[]> all = new ArrayList<>(List.of(links));
        if (Files.exists(Path.of("/proc/kcore"))) all.add(new String[] {"/proc/kcore", "core"});
        for (String[] l : all) {
            Path link = SecurePath.resolveEntry(rootfs, "/dev/" + l[1]);
            try {
                if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) continue;
                Files.createSymbolicLink(link, Path.of(l[0]));
            } catch (IOException e) {
                throw new JrunException("cannot create /dev/" + l[1] + ": " + e.getMessage(), e);
            }
        }
    }

    /** pivot_root into the rootfs (runc's sequence), or MS_MOVE + chroot with --no-pivot. */
    void enterRoot() {
        if (cfg.noPivot()) {
            Libc.chdir(rootfs.toString());
            Libc.mount(rootfs.toString(), "/", null, Libc.MS_MOVE, null);
            Libc.chroot(".");
            Libc.chdir("/");
            return;
        }
        int oldRoot = Fds.open("/", Fds.O_DIRECTORY | Fds.O_RDONLY | Fds.O_CLOEXEC, 0);
        int newRoot = Fds.open(rootfs.toString(), Fds.O_DIRECTORY | Fds.O_RDONLY | Fds.O_CLOEXEC, 0);
        try {
            Libc.fchdir(newRoot);
            Libc.pivotRoot(".", ".");
            // The old root is now stacked on the new one: detach it without touching the host.
            Libc.fchdir(oldRoot);
            Libc.mount(null, ".", null, Libc.MS_SLAVE | Libc.MS_REC, null);
            Libc.umount2(".", Libc.MNT_DETACH);
            Libc.chdir("/");
        } finally {
            Fds.closeQuietly(oldRoot);
            Fds.closeQuietly(newRoot);
        }
    }

    /** After pivot_root: masked and read-only paths, then read-only tmpfs and root. */
    void finish() {
        var linux = spec.linux();
        if (linux != null && linux.maskedPaths() != null) {
            for (String p : linux.maskedPaths()) mask(p);
        }
        if (linux != null && linux.readonlyPaths() != null) {
            for (String p : linux.readonlyPaths()) readonly(p);
        }
        for (String p : readonlyTmpfs) {
            Libc.mount(null, p, null, Libc.MS_REMOUNT | Libc.mountFlagsOf(p) | Libc.MS_RDONLY, null);
        }
        if (spec.root() != null && Boolean.TRUE.equals(spec.root().readonly())) {
            Libc.mount(null, "/", null, Libc.MS_BIND | Libc.MS_REMOUNT | Libc.MS_RDONLY | Libc.mountFlagsOf("/"), null);
        }
    }

    private static void mask(String p) {
        Path path = Path.of(p);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Libc.mount("tmpfs", p, "tmpfs", Libc.MS_RDONLY, null);
            } else {
                Libc.mount("/dev/null", p, null, Libc.MS_BIND, null);
            }
        } catch (LinuxException e) {
            throw new JrunException("cannot mask " + p + ": " + e.getMessage(), e);
        }
    }

    private static void readonly(String p) {
        if (!Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Libc.mount(p, p, null, Libc.MS_BIND | Libc.MS_REC, null);
            Libc.mount(null, p, null, Libc.MS_BIND | Libc.MS_REMOUNT | Libc.MS_RDONLY | Libc.MS_REC
                    | Libc.mountFlagsOf(p), null);
        } catch (LinuxException e) {
            throw new JrunException("cannot make " + p + " read-only: " + e.getMessage(), e);
        }
    }

    private static String describe(Mount m) {
        return (m.type() == null ? "bind" : m.type()) + " " + (m.source() == null ? "" : m.source() + " ")
                + "on " + m.destination();
    }

    static String clean(String p) {
        return p == null ? "" : Path.of(p).normalize().toString();
    }
}
