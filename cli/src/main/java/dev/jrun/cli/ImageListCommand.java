package dev.jrun.cli;

import dev.jrun.image.ImageRef;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageConfig;
import dev.jrun.image.oci.Manifest;
import dev.jrun.image.progress.Bytes;
import dev.jrun.image.store.ImageStore;
import dev.jrun.image.store.StoredImage;
import dev.jrun.runtime.JrunException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `jrun image ls`: a table (REPOSITORY TAG IMAGE ID CREATED SIZE) or --format json. */
final class ImageListCommand implements Command {
    @Override public String name() { return "ls"; }
    @Override public String usage() { return ""; }
    @Override public String description() { return "list the images in the store"; }
    @Override public int minArgs() { return 0; }
    @Override public int maxArgs() { return 0; }

    @Override
    public List<Option> options() {
        return List.of(Option.value("FORMAT", "table or json", "format", "f"),
                Option.flag("print image ids only", "quiet", "q"),
                Option.flag("do not shorten ids", "no-trunc"));
    }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        String format = a.value("format", "table");
        if (!format.equals("table") && !format.equals("json"))
            throw new JrunException("image ls: invalid --format \"" + format + "\" (table or json)");
        ImageStore store = ImageSupport.store(g);
        List<Map<String, Object>> images = new ArrayList<>();
        for (StoredImage i : store.images()) images.add(describe(store, i));
        boolean full = a.flag("no-trunc");
        if (a.flag("quiet")) {
            java.util.Set<String> seen = new java.util.LinkedHashSet<>();
            for (Map<String, Object> m : images) seen.add(id((String) m.get("Id"), full));
            for (String id : seen) System.out.println(id);
        } else if (format.equals("json")) {
            System.out.print(Json.indented(images) + "\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
            for (Map<String, Object> m : images) {
                ImageRef r = ImageRef.parse((String) m.get("Name"));
                rows.add(new String[] {r.name(), r.tag() != null ? r.tag() : "<none>", id((String) m.get("Id"), full),
                        String.valueOf(m.getOrDefault("Created", "")), Bytes.human((Long) m.get("Size"))});
            }
            System.out.print(TabWriter.format(rows, 0, 3));
        }
        return 0;
    }

    private static String id(String digest, boolean full) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return full ? hex : hex.substring(0, 12);
    }

    /** One image as `ls --format json` and `inspect` show it. */
    static Map<String, Object> describe(ImageStore store, StoredImage i) throws java.io.IOException {
        Manifest m = store.manifest(i);
        ImageConfig c = store.config(m);
        long size = i.manifest().size() + m.config().size();
        for (Descriptor d : m.layers()) size += d.size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", m.config().digest());
        out.put("Name", i.name());
        out.put("Digest", i.repoDigest());
        out.put("ManifestDigest", i.manifest().digest());
        if (c.created() != null) out.put("Created", c.created());
        out.put("Size", size);
        out.put("Platform", (c.os() == null ? "?" : c.os()) + "/" + (c.architecture() == null ? "?" : c.architecture())
                + (c.variant() == null ? "" : "/" + c.variant()));
        return out;
    }
}
