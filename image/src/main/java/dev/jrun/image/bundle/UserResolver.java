package dev.jrun.image.bundle;

import dev.jrun.image.ImageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image config's User ("", "name", "uid", "name:group", "uid:gid", ...) as numeric ids,
 * names looked up in the image's own /etc/passwd and /etc/group the way podman and docker do:
 * a user given by name gets the primary group from passwd and, as supplementary groups, every
 * group in /etc/group that lists it; a numeric uid missing from passwd runs with gid 0.
 */
final class UserResolver {
    private UserResolver() {}

    /** Numeric credentials plus the passwd home (null if the user has no passwd entry). */
    record User(int uid, int gid, List<Integer> additionalGids, String home) {
        static final User ROOT = new User(0, 0, List.of(), "/root");
    }

    static User resolve(Path rootfs, String spec) {
        if (spec == null || spec.isEmpty()) {
            PasswdEntry root = findUser(passwd(rootfs), "0");
            return root == null ? User.ROOT : new User(0, 0, List.of(), root.home);
        }
        int colon = spec.indexOf(':');
        String userPart = colon < 0 ? spec : spec.substring(0, colon);
        String groupPart = colon < 0 ? null : spec.substring(colon + 1);
        if (userPart.isEmpty()) throw new ImageException("image config User \"" + spec + "\" has no user before ':'");

        List<PasswdEntry> users = passwd(rootfs);
        PasswdEntry pw = findUser(users, userPart);
        int uid;
        if (pw != null) {
            uid = pw.uid;
        } else if (isNumber(userPart)) {
            uid = id(userPart, spec);
        } else {
            throw new ImageException("image config User \"" + spec + "\": no user \"" + userPart + "\" in the image's /etc/passwd");
        }

        List<GroupEntry> groups = group(rootfs);
        int gid;
        if (groupPart != null) {
            if (groupPart.isEmpty()) throw new ImageException("image config User \"" + spec + "\" has no group after ':'");
            GroupEntry g = findGroup(groups, groupPart);
            if (g != null) gid = g.gid;
            else if (isNumber(groupPart)) gid = id(groupPart, spec);
            else throw new ImageException("image config User \"" + spec + "\": no group \"" + groupPart + "\" in the image's /etc/group");
        } else {
            gid = pw != null ? pw.gid : 0;
        }
        // Supplementary groups come with a name only (docker: only when no group was given).
        List<Integer> extra = new ArrayList<>();
        if (pw != null && groupPart == null) {
            for (GroupEntry g : groups) {
                if (g.members.contains(pw.name) && g.gid != gid && !extra.contains(g.gid)) extra.add(g.gid);
            }
        }
        return new User(uid, gid, List.copyOf(extra), pw != null ? pw.home : null);
    }

    private record PasswdEntry(String name, int uid, int gid, String home) {}

    private record GroupEntry(String name, int gid, List<String> members) {}

    private static List<PasswdEntry> passwd(Path rootfs) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String[] f : fields(rootfs, "/etc/passwd")) {
            if (f.length < 4 || !isNumber(f[2]) || !isNumber(f[3])) continue;
            out.add(new PasswdEntry(f[0], id(f[2], null), id(f[3], null), f.length > 5 ? f[5] : null));
        }
        return out;
    }

    private static List<GroupEntry> group(Path rootfs) {
        List<GroupEntry> out = new ArrayList<>();
        for (String[] f : fields(rootfs, "/etc/group")) {
            if (f.length < 3 || !isNumber(f[2])) continue;
            List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
            out.add(new GroupEntry(f[0], id(f[2], null), members));
        }
        return out;
    }

    private static List<String[]> fields(Path rootfs, String file) {
        String text = RootedFiles.read(rootfs.toString(), file);
        List<String[]> out = new ArrayList<>();
        if (text == null) return out;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            out.add(line.split(":", -1));
        }
        return out;
    }

    /** By name first, then by number (a user may be named "1000" in theory; names win, as in libc). */
    private static PasswdEntry findUser(List<PasswdEntry> users, String nameOrId) {
        for (PasswdEntry e : users) if (e.name.equals(nameOrId)) return e;
        if (isNumber(nameOrId)) {
            long id = Long.parseLong(nameOrId);
            for (PasswdEntry e : users) if (e.uid == id) return e;
        }
        return null;
    }

    private static GroupEntry findGroup(List<GroupEntry> groups, String nameOrId) {
        for (GroupEntry e : groups) if (e.name.equals(nameOrId)) return e;
        if (isNumber(nameOrId)) {
            long id = Long.parseLong(nameOrId);
            for (GroupEntry e : groups) if (e.gid == id) return e;
        }
        return null;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** An id as the runtime takes it: 0..2^31-1 (jrun refuses larger ids at create, as runc does). */
    private static int id(String s, String spec) {
        long v = Long.parseLong(s);
        if (v > Integer.MAX_VALUE) {
            if (spec == null) return -1; // a passwd line with an absurd id: never matched by a real id
            throw new ImageException("image config User \"" + spec + "\": id " + s + " is out of range");
        }
        return (int) v;
    }
}
