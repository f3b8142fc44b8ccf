package dev.jrun.cli;

import dev.jrun.image.store.ImageStore;
import dev.jrun.image.store.StoredImage;
import java.util.List;

/** `jrun image rm REF...`: removes the names, then the content no other image uses. */
final class ImageRemoveCommand implements Command {
    @Override public String name() { return "rm"; }
    @Override public String usage() { return "REF [REF...]"; }
    @Override public String description() { return "remove images from the store"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return -1; }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        ImageStore store = ImageSupport.store(g);
        for (String ref : a.positionals) store.get(ref); // all or nothing: every name must exist first
        for (String ref : a.positionals) {
            StoredImage i = store.remove(ref);
            System.out.println("Untagged: " + i.name());
        }
        return 0;
    }
}
