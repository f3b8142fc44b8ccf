package dev.jrun.image.layer;

import dev.jrun.image.ImageException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The records of a PAX extended header ('x' for the next entry, 'g' for all that follow):
 * "LEN key=value\n". The keys that matter for unpacking are kept; uname/gname, ctime, comments
 * and charset hints are ignored (ownership is numeric, as umoci and containerd apply it).
 */
final class PaxHeaders {
    String path;
    String linkPath;
    long size = -1;
    long uid = -1;
    long gid = -1;
    long[] mtime;
    long[] atime;
    long devMajor = -1;
    long devMinor = -1;
    List<TarEntry.Xattr> xattrs;

    /** Parses a header's data; {@code where} names it in errors. */
    static PaxHeaders parse(byte[] data, int length, String where) {
        PaxHeaders h = new PaxHeaders();
        int p = 0;
        while (p < length) {
            if (data[p] == 0) break; // NUL padding some writers leave
            int sp = p;
            long len = 0;
            while (sp < length && data[sp] >= '0' && data[sp] <= '9' && len < Integer.MAX_VALUE) len = len * 10 + (data[sp++] - '0');
            if (sp >= length || data[sp] != ' ' || len <= sp - p || p + len > length || data[(int) (p + len - 1)] != '\n')
                throw new ImageException(where + ": malformed PAX record at byte " + p);
            int end = (int) (p + len - 1);
            int eq = sp + 1;
            while (eq < end && data[eq] != '=') eq++;
            if (eq >= end) throw new ImageException(where + ": malformed PAX record at byte " + p + " (no '=')");
            String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.ISO_8859_1);
            h.set(key, data, eq + 1, end, where);
            p = (int) (p + len);
        }
        return h;
    }

    private void set(String key, byte[] data, int from, int to, String where) {
        String value = new String(data, from, to - from, StandardCharsets.ISO_8859_1);
        switch (key) {
            case "path" -> path = value;
            case "linkpath" -> linkPath = value;
            case "size" -> size = decimal(value, key, where);
            case "uid" -> uid = decimal(value, key, where);
            case "gid" -> gid = decimal(value, key, where);
            case "mtime" -> mtime = time(value, key, where);
            case "atime" -> atime = time(value, key, where);
            case "SCHILY.devmajor" -> devMajor = decimal(value, key, where);
            case "SCHILY.devminor" -> devMinor = decimal(value, key, where);
            default -> {
                if (key.startsWith("SCHILY.xattr.")) {
                    byte[] v = new byte[to - from];
                    System.arraycopy(data, from, v, 0, v.length);
                    xattr(key.substring("SCHILY.xattr.".length()), v);
                } else if (key.startsWith("LIBARCHIVE.xattr.")) {
                    // bsdtar: URL-encoded name, base64 value
                    try {
                        xattr(urlDecode(key.substring("LIBARCHIVE.xattr.".length())), Base64.getDecoder().decode(value));
                    } catch (IllegalArgumentException e) {
                        throw new ImageException(where + ": malformed " + key + " value");
                    }
                } else if (key.startsWith("GNU.sparse.")) {
                    throw new ImageException(where + ": sparse files (" + key + ") are not supported");
                }
            }
        }
    }

    private void xattr(String name, byte[] value) {
        if (name.isEmpty()) return;
        if (xattrs == null) xattrs = new ArrayList<>();
        xattrs.removeIf(x -> x.name().equals(name));
        xattrs.add(new TarEntry.Xattr(name, value));
    }

    private static String urlDecode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static long decimal(String v, String key, String where) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ImageException(where + ": PAX " + key + " \"" + v + "\" is not a number");
        }
    }

    /** "SECONDS[.FRACTION]", possibly negative, as {seconds, nanoseconds in [0, 1e9)}. */
    static long[] time(String v, String key, String where) {
        String s = v.trim();
        try {
            boolean negative = s.startsWith("-");
            if (negative) s = s.substring(1);
            int dot = s.indexOf('.');
            String whole = dot < 0 ? s : s.substring(0, dot);
            String frac = dot < 0 ? "" : s.substring(dot + 1);
            if (whole.isEmpty() && frac.isEmpty()) throw new NumberFormatException();
            long sec = whole.isEmpty() ? 0 : Long.parseLong(whole);
            long nsec = 0;
            for (int i = 0; i < 9; i++) {
                char c = i < frac.length() ? frac.charAt(i) : '0';
                if (c < '0' || c > '9') throw new NumberFormatException();
                nsec = nsec * 10 + (c - '0');
            }
            for (int i = 9; i < frac.length(); i++) if (frac.charAt(i) < '0' || frac.charAt(i) > '9') throw new NumberFormatException();
            if (negative) {
                sec = -sec;
                if (nsec > 0) {
                    sec -= 1;
                    nsec = 1_000_000_000L - nsec;
                }
            }
            return new long[] {sec, nsec};
        } catch (NumberFormatException e) {
            throw new ImageException(where + ": PAX " + key + " \"" + v + "\" is not a time");
        }
    }

    /** Folds a global header into this one (later values win). */
    void merge(PaxHeaders g) {
        if (g.path != null) path = g.path;
        if (g.linkPath != null) linkPath = g.linkPath;
        if (g.uid >= 0) uid = g.uid;
        if (g.gid >= 0) gid = g.gid;
        if (g.mtime != null) mtime = g.mtime;
        if (g.atime != null) atime = g.atime;
        if (g.devMajor >= 0) devMajor = g.devMajor;
        if (g.devMinor >= 0) devMinor = g.devMinor;
        if (g.xattrs != null) for (TarEntry.Xattr x : g.xattrs) xattr(x.name(), x.value());
    }
}
