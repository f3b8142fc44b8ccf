package dev.jrun.cli;

import dev.jrun.runtime.Containers;

import java.nio.file.Path;
import java.util.List;

/** The global flags, spelled as runc spells them. */
final class Globals {
    static final List<Option> OPTIONS = List.of(
            Option.value("DIR", "state directory (default /run/jrun)", "root"),
            Option.value("FILE", "log file (default: stderr)", "log"),
            Option.value("FORMAT", "log format: text or json", "log-format"),
            Option.flag("debug output", "debug"),
            Option.value("DIR", "image store (default /var/lib/jrun)", "data-root"),
            Option.flag("accepted for runc compatibility", "systemd-cgroup"),
            Option.value("VALUE", "accepted for runc compatibility", "rootless"),
            Option.value("PATH", "accepted for runc compatibility", "criu"),
            Option.flag("show help", "help", "h"),
            Option.flag("print the version", "version", "v"));

    private final ParsedArgs parsed;
    private boolean logConfigured;

    Globals(ParsedArgs parsed) {
        this.parsed = parsed;
    }

    Path root() {
        return Path.of(parsed.value("root", "/run/jrun"));
    }

    /** The image store's directory: --data-root, else $JRUN_DATA_ROOT, else /var/lib/jrun. */
    Path dataRoot() {
        String env = System.getenv("JRUN_DATA_ROOT");
        return Path.of(parsed.value("data-root", env != null && !env.isEmpty() ? env : "/var/lib/jrun"));
    }

    void configureLog() {
        if (!logConfigured) {
            Log.configure(parsed.value("log", null), parsed.value("log-format", "text"), parsed.flag("debug"));
            logConfigured = true;
        }
    }

    /** The lifecycle for --root, with warnings going to the log. */
    Containers containers() {
        configureLog();
        return new Containers(root(), Log::warn);
    }
}
