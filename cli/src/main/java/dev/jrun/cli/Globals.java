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
