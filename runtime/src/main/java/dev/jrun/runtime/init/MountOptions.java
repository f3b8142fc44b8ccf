package dev.jrun.runtime.init;

import dev.jrun.linux.Libc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mount(8)-style option strings split into mount(2) flags, propagation flags and fs data,
 * with runc's table of names. Unknown options go to the data string, as runc does.
 */
public record MountOptions(long flags, long clearFlags, List<Long> propagation, String data, boolean bind,
                           boolean recursive) {

    private static final long MS_POSIXACL = 1 << 16, MS_I_VERSION = 1 << 23;

    /** option -> {flag, 1 = set / 0 = clear}. */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("acl", new long[] {MS_POSIXACL, 1}), Map.entry("async", new long[] {Libc.MS_SYNCHRONOUS, 0}),
            Map.entry("atime", new long[] {Libc.MS_NOATIME, 0}), Map.entry("bind", new long[] {Libc.MS_BIND, 1}),
            Map.entry("defaults", new long[] {0, 1}), Map.entry("dev", new long[] {Libc.MS_NODEV, 0}),
            Map.entry("diratime", new long[] {Libc.MS_NODIRATIME, 0}), Map.entry("dirsync", new long[] {Libc.MS_DIRSYNC, 1}),
            Map.entry("exec", new long[] {Libc.MS_NOEXEC, 0}), Map.entry("iversion", new long[] {MS_I_VERSION, 1}),
            Map.entry("lazytime", new long[] {Libc.MS_LAZYTIME, 1}), Map.entry("loud", new long[] {Libc.MS_SILENT, 0}),
            Map.entry("mand", new long[] {Libc.MS_MANDLOCK, 1}), Map.entry("noacl", new long[] {MS_POSIXACL, 0}),
            Map.entry("noatime", new long[] {Libc.MS_NOATIME, 1}), Map.entry("nodev", new long[] {Libc.MS_NODEV, 1}),
            Map.entry("nodiratime", new long[] {Libc.MS_NODIRATIME, 1}), Map.entry("noexec", new long[] {Libc.MS_NOEXEC, 1}),
            Map.entry("noiversion", new long[] {MS_I_VERSION, 0}), Map.entry("nolazytime", new long[] {Libc.MS_LAZYTIME, 0}),
            Map.entry("nomand", new long[] {Libc.MS_MANDLOCK, 0}), Map.entry("norelatime", new long[] {Libc.MS_RELATIME, 0}),
            Map.entry("nostrictatime", new long[] {Libc.MS_STRICTATIME, 0}), Map.entry("nosuid", new long[] {Libc.MS_NOSUID, 1}),
            Map.entry("nosymfollow", new long[] {Libc.MS_NOSYMFOLLOW, 1}),
            Map.entry("rbind", new long[] {Libc.MS_BIND | Libc.MS_REC, 1}),
            Map.entry("relatime", new long[] {Libc.MS_RELATIME, 1}), Map.entry("remount", new long[] {Libc.MS_REMOUNT, 1}),
            Map.entry("ro", new long[] {Libc.MS_RDONLY, 1}), Map.entry("rw", new long[] {Libc.MS_RDONLY, 0}),
            Map.entry("silent", new long[] {Libc.MS_SILENT, 1}), Map.entry("strictatime", new long[] {Libc.MS_STRICTATIME, 1}),
            Map.entry("suid", new long[] {Libc.MS_NOSUID, 0}), Map.entry("sync", new long[] {Libc.MS_SYNCHRONOUS, 1}),
            Map.entry("symfollow", new long[] {Libc.MS_NOSYMFOLLOW, 0}));

    public static final Map<String, Long> PROPAGATION = Map.of(
            "private", Libc.MS_PRIVATE, "rprivate", Libc.MS_PRIVATE | Libc.MS_REC,
            "shared", Libc.MS_SHARED, "rshared", Libc.MS_SHARED | Libc.MS_REC,
            "slave", Libc.MS_SLAVE, "rslave", Libc.MS_SLAVE | Libc.MS_REC,
            "unbindable", Libc.MS_UNBINDABLE, "runbindable", Libc.MS_UNBINDABLE | Libc.MS_REC);

    /** The option names jrun understands (for `features`). */
    public static List<String> known() {
        List<String> all = new ArrayList<>(FLAGS.keySet());
        all.addAll(PROPAGATION.keySet());
        all.sort(null);
        return all;
    }

    public static MountOptions parse(List<String> options) {
        long set = 0, clear = 0;
        List<Long> prop = new ArrayList<>();
        List<String> data = new ArrayList<>();
        if (options != null) {
            for (String o : options) {
                long[] f = FLAGS.get(o);
                if (f != null) {
                    if (f[1] == 1) {
                        set |= f[0];
                        clear &= ~f[0];
                    } else {
                        set &= ~f[0];
                        clear |= f[0];
                    }
                } else if (PROPAGATION.containsKey(o)) {
                    prop.add(PROPAGATION.get(o));
                } else if (o.equals("idmap") || o.equals("ridmap")) {
                    throw new IllegalArgumentException("mount option \"" + o + "\" (id-mapped mounts) is not supported yet");
                } else {
                    data.add(o);
                }
            }
        }
        boolean bind = (set & Libc.MS_BIND) != 0;
        boolean rec = (set & Libc.MS_REC) != 0;
        return new MountOptions(set, clear, prop, String.join(",", data), bind, rec);
    }

    /** Flags that need a second, remounting mount(2) call after a bind mount. */
    public long remountFlags() {
        return flags & ~(Libc.MS_BIND | Libc.MS_REC | Libc.MS_REMOUNT);
    }
}
