package dev.jrun.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.image.ImageJson;
import dev.jrun.image.bundle.BundleMaker;
import dev.jrun.image.store.ImageStore;
import dev.jrun.runtime.spec.DefaultSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * `jrun image unpack REF BUNDLE_DIR`: a runnable bundle (config.json + rootfs) from a stored
 * image, on top of jrun's default spec. The rootfs is an overlay of shared layer snapshots
 * (`jrun image unmount` takes it down) unless --copy asks for a flat copy.
 */
final class ImageUnpackCommand implements Command {
    @Override public String name() { return "unpack"; }
    @Override public String usage() { return "REF BUNDLE_DIR"; }
    @Override public String description() { return "make a runnable bundle (config.json + rootfs) from an image"; }
    @Override public int minArgs() { return 2; }
    @Override public int maxArgs() { return 2; }

    @Override
    public List<Option> options() {
        return List.of(Option.flag("write a flat copy of the layers instead of mounting an overlay", "copy"));
    }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        ImageStore store = ImageSupport.store(g);
        var image = store.get(a.positionals.get(0));
        ObjectNode spec = (ObjectNode) ImageJson.MAPPER.readTree(DefaultSpec.json(false, List.of("sh")));
        BundleMaker.make(store, image, Path.of(a.positionals.get(1)), spec, a.flag("copy"), Log::warn);
        return 0;
    }
}
