package dev.jrun.cli;

import dev.jrun.image.progress.Bytes;
import dev.jrun.image.store.ImageStore;
import java.util.List;

/** `jrun image prune`: removes blobs and snapshots no image or mounted bundle uses, and crash debris. */
final class ImagePruneCommand implements Command {
    @Override public String name() { return "prune"; }
    @Override public String usage() { return ""; }
    @Override public String description() { return "remove unreferenced blobs and layer snapshots"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 0; }
    @Override public int maxArgs() { return 0; }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        ImageStore.PruneResult r = ImageSupport.store(g).prune();
        System.out.println("Removed " + r.blobs().size() + " blobs (" + Bytes.human(r.blobBytes()) + ") and "
                + r.snapshots().size() + " layer snapshots");
        return 0;
    }
}
