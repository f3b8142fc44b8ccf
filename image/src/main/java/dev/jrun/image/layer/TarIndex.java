package dev.jrun.image.layer;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The members of a tar archive by name, with where their data lies, for formats that are tars
 * of files read in place (docker-archive): one pass with the layer's own {@link TarReader}, so
 * both read every header dialect the same way. Names are normalised only by dropping a leading
 * "./"; they are lookup keys, never paths to write.
 */
public final class TarIndex {
    private TarIndex() {}

    /** A regular file member: its name, the offset of its data in the archive, its size. */
    public record Member(String name, long offset, long size) {}

    public static Map<String, Member> of(InputStream archive) throws IOException {
        TarReader r = new TarReader(archive);
        Map<String, Member> out = new HashMap<>();
        TarEntry e;
        while ((e = r.next()) != null) {
            if (e.type() != TarEntry.Type.FILE) continue;
            String name = e.path().startsWith("./") ? e.path().substring(2) : e.path();
            out.put(name, new Member(name, r.dataOffset(), e.size()));
        }
        return out;
    }
}
