package dev.jrun.cli;

import dev.jrun.image.ImageJson;
import dev.jrun.image.store.ImageStore;
import dev.jrun.image.store.StoredImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** `jrun image inspect REF...`: a JSON array, one object per image with its manifest and config. */
final class ImageInspectCommand implements Command {
    @Override public String name() { return "inspect"; }
    @Override public String usage() { return "REF [REF...]"; }
    @Override public String description() { return "show an image's details, manifest and config as JSON"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return -1; }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        ImageStore store = ImageSupport.store(g);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String ref : a.positionals) {
            StoredImage i = store.get(ref);
            Map<String, Object> m = ImageListCommand.describe(store, i);
            m.put("Manifest", ImageJson.MAPPER.readTree(store.blobs().read(i.manifestDigest())));
            m.put("Config", ImageJson.MAPPER.readTree(store.blobs().read(store.configDigest(i))));
            out.add(m);
        }
        System.out.println(ImageJson.PRETTY.writeValueAsString(out));
        return 0;
    }
}
