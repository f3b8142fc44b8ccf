package dev.jrun.cli;

import dev.jrun.runtime.JrunException;
import java.nio.file.Path;
import java.util.List;

/** `jrun image unmount BUNDLE`: unmounts the overlay rootfs `image unpack` mounted (its upper dir stays). */
final class ImageUnmountCommand implements Command {
    @Override public String name() { return "unmount"; }
    @Override public String usage() { return "BUNDLE_DIR"; }
    @Override public String description() { return "unmount a bundle's overlay rootfs"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return 1; }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        Path bundle = Path.of(a.positionals.get(0));
        if (!ImageSupport.store(g).mounts().unmount(bundle))
            throw new JrunException("image unmount: " + bundle.resolve("rootfs") + " is not mounted");
        return 0;
    }
}
