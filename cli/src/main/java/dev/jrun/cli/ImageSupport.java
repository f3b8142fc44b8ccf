package dev.jrun.cli;

import dev.jrun.image.ImageException;
import dev.jrun.image.oci.Platform;
import dev.jrun.image.progress.Progress;
import dev.jrun.image.store.ImageStore;
import dev.jrun.runtime.JrunException;
import java.io.IOException;

/** What the image subcommands share: the store at --data-root, progress output, --platform. */
final class ImageSupport {
    private ImageSupport() {}

    static ImageStore store(Globals g) throws IOException {
        g.configureLog();
        return ImageStore.open(g.dataRoot());
    }

    /** Progress on stderr: bars on a terminal, a line per blob otherwise, nothing with --quiet. */
    static Progress progress(ParsedArgs a) {
        if (a.flag("quiet")) return Progress.NONE;
        return Progress.forStream(System.err, System.console() != null && System.console().isTerminal());
    }

    static Platform platform(ParsedArgs a) {
        String p = a.value("platform", null);
        try {
            return p == null ? Platform.LINUX_AMD64 : Platform.parse(p);
        } catch (ImageException e) {
            throw new JrunException("--platform: " + e.getMessage());
        }
    }

    static final Option PLATFORM = Option.value("OS/ARCH[/VARIANT]", "platform to choose from a multi-platform image (default linux/amd64)", "platform");
    static final Option QUIET = Option.flag("print no progress", "quiet", "q");
}
