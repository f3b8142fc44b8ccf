package dev.jrun.image.layer;

import dev.jrun.image.ImageException;

/**
 * Entry and link-target names made relative to the root, lexically: "/" and "." components and
 * empty ones go, ".." takes the previous component off, and a ".." with nothing left to take
 * off is an error rather than a clamp (a layer that climbs out is hostile or broken). Symlinks
 * are not looked at here; the kernel resolves them inside the root later (RESOLVE_IN_ROOT).
 */
final class EntryPath {
    private EntryPath() {}

    /** The cleaned path ("" for the root itself); {@code role} is "entry" or "link target" for messages. */
    static String clean(String raw, String entry, String role) {
        if (raw.indexOf('\0') >= 0) throw new ImageException("entry " + TarEntry.display(entry) + ": " + role + " contains a NUL byte");
        // Fast path: already clean (the usual "usr/bin/x" or "./usr/bin/x").
        String s = raw;
        while (s.startsWith("./")) s = s.substring(2);
        if (isClean(s)) return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        String[] parts = raw.split("/");
        String[] stack = new String[parts.length];
        int n = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (n == 0) {
                    String what = role.equals("entry") ? "entry " + TarEntry.display(raw)
                            : "entry " + TarEntry.display(entry) + ": " + role + " " + TarEntry.display(raw);
                    throw new ImageException(what + " escapes the root");
                }
                n--;
                continue;
            }
            stack[n++] = p;
        }
        return String.join("/", java.util.Arrays.asList(stack).subList(0, n));
    }

    /** No leading "/", no "", "." or ".." component (a single trailing "/" is allowed). */
    private static boolean isClean(String s) {
        if (s.isEmpty() || s.charAt(0) == '/') return false;
        int start = 0;
        int len = s.endsWith("/") ? s.length() - 1 : s.length();
        if (len == 0) return false;
        for (int i = 0; i <= len; i++) {
            if (i == len || s.charAt(i) == '/') {
                int l = i - start;
                if (l == 0) return false;
                if (s.charAt(start) == '.' && (l == 1 || (l == 2 && s.charAt(start + 1) == '.'))) return false;
                start = i + 1;
            }
        }
        return true;
    }

    /** The parent of a cleaned path ("" for a top-level name). */
    static String parent(String clean) {
        int slash = clean.lastIndexOf('/');
        return slash < 0 ? "" : clean.substring(0, slash);
    }

    /** The last component of a cleaned path. */
    static String name(String clean) {
        return clean.substring(clean.lastIndexOf('/') + 1);
    }

    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }
}
