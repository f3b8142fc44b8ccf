package dev.jrun.image.layer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One member of a layer's tar stream, after its PAX and GNU long-name headers were folded in.
 *
 * <p>Names are kept as ISO-8859-1 strings, one char per byte: Linux file names are bytes, not
 * text, and this carries any byte sequence (UTF-8 or not) unchanged from the archive to the
 * system call. {@link #display} turns one into readable text for a message.
 */
record TarEntry(String path, Type type, int mode, int uid, int gid, long size, long mtimeSec, int mtimeNsec,
                long atimeSec, int atimeNsec, String linkName, int devMajor, int devMinor, List<Xattr> xattrs) {

    enum Type { FILE, HARDLINK, SYMLINK, CHAR, BLOCK, DIR, FIFO }

    /** An extended attribute: name (ISO-8859-1 as above) and raw value. */
    record Xattr(String name, byte[] value) {}

    /** A byte-per-char name as text (UTF-8, with replacement characters for invalid bytes). */
    static String display(String bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            if (bytes.charAt(i) >= 0x80) {
                return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return bytes;
    }
}
