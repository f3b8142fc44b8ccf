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
    /** O_PATH fds of tmpfs mounts to make read-only once everything below them is mounted. */
    private final List<Integer> readonlyTmpfs = new ArrayList<>();
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
            // Device nodes in the image stay unusable (see DevicePolicy), submounts included.
            int rootFd = Fds.open(rootfs.toString(), Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
            try {
                Libc.setNodev(rootFd, true);
            } finally {
                Fds.closeQuietly(rootFd);
            }
        }
        try (RootDir root = new RootDir(rootfs)) {
            populate(root);
        }
    }

    /** Mounts, /dev, cwd: every path resolved in the rootfs by the kernel and used through fds. */
    private void populate(RootDir root) {
        boolean devFromHost = spec.mounts() != null && spec.mounts().stream().anyMatch(
                m -> "/dev".equals(clean(m.destination())) && MountOptions.parse(m.options()).bind());
        if (!devFromHost && devicesRestricted && !hasDevMount()) {
            // The rootfs is nodev now: the nodes jrun makes need a /dev of their own. First, so
            // that configured mounts below /dev (pts, shm, mqueue) land on it, not under it.
            try {
                int dev = root.openDir("/dev", true);
                try {
                    Libc.mount("tmpfs", Libc.fdPath(dev), "tmpfs", Libc.MS_NOSUID | Libc.MS_STRICTATIME, "mode=755,size=65536k");
                } finally {
                    Fds.closeQuietly(dev);
                }
            } catch (LinuxException e) {
                throw new JrunException("cannot mount a tmpfs on /dev of the rootfs (the config has no /dev mount): "
                        + e.getMessage(), e);
            }
        }
        if (spec.mounts() != null) {
            for (int i = 0; i < spec.mounts().size(); i++) {
                Mount m = spec.mounts().get(i);
                try {
                    mountOne(root, m);
                } catch (LinuxException | IOException | IllegalArgumentException | JrunException e) {
                    throw new JrunException("cannot mount " + describe(m) + " (config.json $.mounts[" + i + "]): "
                            + e.getMessage(), e);
                }
            }
        }
        if (!devFromHost) {
            createDevices(root);
            createDevSymlinks(root);
        }
        createCwd(root);
        // /dev/ptmx must be the new devpts instance's, not the host's. Not when /dev is the
        // host's own (bound): that /dev/ptmx belongs to the host and must stay as it is.
        if (!devFromHost && isMountedDevpts()) {
            try (RootDir.Entry ptmx = root.entry("/dev/ptmx")) {
                unlinkIfPresent(ptmx);
                Libc.symlinkat("pts/ptmx", ptmx.dirFd(), ptmx.name());
            } catch (LinuxException e) {
                throw new JrunException("cannot link /dev/ptmx to pts/ptmx: " + e.getMessage(), e);
            }
        }
        makeTmpfsReadonly(); // last: devices, links and the cwd may live in such a tmpfs
    }

    /** process.cwd is created inside the rootfs when missing, as runc does (before it may turn read-only). */
    private void createCwd(RootDir root) {
        String cwd = spec.process() == null ? null : spec.process().cwd();
        if (cwd == null || cwd.isEmpty() || cwd.equals("/")) return;
        try {
            Fds.close(root.openDir(cwd, true));
        } catch (LinuxException e) {
            throw new JrunException("cannot create the working directory " + cwd + " in the rootfs: " + e.getMessage(), e);
        }
    }

    private static void unlinkIfPresent(RootDir.Entry e) {
        try {
            Libc.unlinkat(e.dirFd(), e.name(), 0);
        } catch (LinuxException ex) {
            if (ex.errno() != dev.jrun.linux.Errno.ENOENT) throw ex;
        }
    }

    private void makeTmpfsReadonly() {
        for (int fd : readonlyTmpfs) {
            try {
                String t = Libc.fdPath(fd);
                // MS_BIND: this mount only, never the filesystem (which a host mount may share).
                Libc.mount(null, t, null, Libc.MS_BIND | Libc.MS_REMOUNT | Libc.mountFlagsOf(t) | Libc.MS_RDONLY, null);
            } finally {
                Fds.closeQuietly(fd);
            }
        }
        readonlyTmpfs.clear();
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

    private void mountOne(RootDir root, Mount m) throws IOException {
        MountOptions o = MountOptions.parse(m.options());
        String type = m.type() == null ? "" : m.type();
        Path source = null;
        if (o.bind()) {
            String src = m.source();
            if (src == null || src.isEmpty()) throw new IllegalArgumentException("a bind mount needs a source");
            source = Path.of(src);
            if (!source.isAbsolute()) source = Path.of(cfg.bundle()).resolve(source);
            if (!Files.exists(source)) throw new IllegalArgumentException("source " + source + " does not exist");
        }
        int target = source != null && !Files.isDirectory(source) ? root.openFile(m.destination())
                : root.openDir(m.destination(), true);
        try {
            String inContainer = root.containerPathOf(target);
            if (inContainer.equals("/")) {
                // Stacked over the rootfs, it would become the container's root at pivot_root.
                throw new JrunException("destination " + m.destination() + " resolves to the root of the rootfs");
            }
            // Checked on the resolved path too: a symlink in the image must not lead a mount into /proc.
            ProcMountRule.check(inContainer, m);
            String t = Libc.fdPath(target);
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                cgroupMounts.add(new DeferredCgroupMount(inContainer, o));
                return;
            }
            boolean isFile = source != null && !Files.isDirectory(source);
            if (source != null) {
                Libc.mount(source.toString(), t, null, Libc.MS_BIND | (o.recursive() ? Libc.MS_REC : 0), null);
                long extra = o.remountFlags();
                // Binds outside /dev are nodev while device rules deny (DevicePolicy); binds into
                // /dev are deliberate device exposures, by the config's word and after resolution.
                boolean intoDev = underDev(clean(m.destination())) && underDev(inContainer);
                if (devicesRestricted && !intoDev) {
                    int top = reopen(root, m.destination(), isFile);
                    try {
                        Libc.setNodev(top, o.recursive()); // submounts of an rbind too
                    } finally {
                        Fds.closeQuietly(top);
                    }
                }
                if (extra != 0 || o.clearFlags() != 0) {
                    int top = reopen(root, m.destination(), isFile);
                    try {
                        String tt = Libc.fdPath(top);
                        long keep = Libc.mountFlagsOf(tt) & ~o.clearFlags();
                        Libc.mount(null, tt, null, Libc.MS_BIND | Libc.MS_REMOUNT | keep | extra, null);
                    } finally {
                        Fds.closeQuietly(top);
                    }
                }
            } else {
                long flags = o.flags();
                boolean readonlyLater = type.equals("tmpfs") && (flags & Libc.MS_RDONLY) != 0;
                if (readonlyLater) flags &= ~Libc.MS_RDONLY; // mounts may still be made below it
                String src = m.source() == null || m.source().isEmpty() ? type : m.source();
                Libc.mount(src, t, type, flags, o.data().isEmpty() ? null : o.data());
                // An fd on the tmpfs itself, taken now: the read-only remount acts on exactly this
                // mount, whatever is later mounted or swapped at its path.
                if (readonlyLater) readonlyTmpfs.add(reopen(root, m.destination(), false));
            }
            if (!o.propagation().isEmpty()) {
                int top = reopen(root, m.destination(), isFile);
                try {
                    for (long p : o.propagation()) Libc.mount(null, Libc.fdPath(top), null, p, null);
                } finally {
                    Fds.closeQuietly(top);
                }
            }
        } finally {
            Fds.closeQuietly(target);
        }
    }

    /**
     * The destination opened again after the mount: path resolution now crosses into the new
     * mount, while the fd taken before still names the directory underneath it.
     */
    private static boolean underDev(String p) {
        return p.equals("/dev") || p.startsWith("/dev/");
    }

    private static int reopen(RootDir root, String dest, boolean isFile) {
        return isFile ? root.openFile(dest) : root.openDir(dest, false);
    }

    private void createDevices(RootDir root) {
        List<String> configured = new ArrayList<>();
        if (spec.linux() != null && spec.linux().devices() != null) {
            for (Device d : spec.linux().devices()) configured.add(clean(d.path()));
        }
        for (DefaultDevice d : DEFAULT_DEVICES) {
            if (configured.contains(d.path())) continue;
            makeDevice(root, d.path(), d.type(), d.major(), d.minor(), d.mode(), 0, 0);
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
                makeDevice(root, d.path(), type, d.major(), d.minor(), mode, d.uid() == null ? 0 : d.uid(),
                        d.gid() == null ? 0 : d.gid());
            }
        }
    }

    private void makeDevice(RootDir root, String path, int type, long major, long minor, int mode, long uid, long gid) {
        if (major < 0 || major > 0xfff || minor < 0 || minor > 0xfffff) {
            // mknod(2) takes a 32-bit dev_t: larger numbers would alias another device.
            throw new JrunException("device " + path + ": " + major + ":" + minor
                    + " is out of range (major 0-4095, minor 0-1048575)");
        }
        try (RootDir.Entry e = root.entry(path)) {
            unlinkIfPresent(e);
            try {
                Libc.mknodat(e.dirFd(), e.name(), type | (mode & 07777), Libc.makedev(major, minor));
            } catch (LinuxException ex) {
                if (!ex.is(dev.jrun.linux.Errno.EPERM) || type == Libc.S_IFIFO) throw ex;
                // No CAP_MKNOD here: bind the host's node instead, as runc does.
                int target = root.openFile(path);
                try {
                    Libc.mount(path, Libc.fdPath(target), null, Libc.MS_BIND, null);
                } finally {
                    Fds.closeQuietly(target);
                }
                return;
            }
            Libc.fchmodat(e.dirFd(), e.name(), mode & 07777);
            Libc.lchownat(e.dirFd(), e.name(), (int) uid, (int) gid);
        } catch (LinuxException ex) {
            throw new JrunException("cannot create device " + path + ": " + ex.getMessage(), ex);
        }
    }

    private void createDevSymlinks(RootDir root) {
        String[][] links = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
                {"/proc/self/fd/2", "stderr"}};
        List<String[]> all = new ArrayList<>(List.of(links));
        if (Files.exists(Path.of("/proc/kcore"))) all.add(new String[] {"/proc/kcore", "core"});
        for (String[] l : all) {
            try (RootDir.Entry e = root.entry("/dev/" + l[1])) {
                Libc.symlinkat(l[0], e.dirFd(), e.name());
            } catch (LinuxException ex) {
                if (ex.errno() == dev.jrun.linux.Errno.EEXIST) continue; // the image or a mount has one
                throw new JrunException("cannot create /dev/" + l[1] + ": " + ex.getMessage(), ex);
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
