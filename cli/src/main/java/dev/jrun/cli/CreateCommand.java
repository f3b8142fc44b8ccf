package dev.jrun.cli;

import dev.jrun.runtime.CreateOptions;
import dev.jrun.runtime.JrunException;

import java.nio.file.Path;
import java.util.List;

/** `create`: the container waits in "created" until `start`. */
final class CreateCommand implements Command {
    /** The flags create and run share, as runc names them. */
    static final List<Option> CREATE_OPTIONS = List.of(
            Option.value("DIR", "bundle directory (default: current directory)", "bundle", "b"),
            Option.value("FILE", "file to write the container init's pid to", "pid-file"),
            Option.flag("use MS_MOVE and chroot instead of pivot_root", "no-pivot"),
            Option.value("N", "pass N extra file descriptors (3 and up) to the container", "preserve-fds"),
            Option.value("PATH", "unix socket for the terminal's master fd (not supported yet)", "console-socket"),
            Option.flag("accepted for runc compatibility", "no-new-keyring"));

    @Override public String name() { return "create"; }
    @Override public String usage() { return "<container-id>"; }
    @Override public String description() { return "create a container"; }
    @Override public List<Option> options() { return CREATE_OPTIONS; }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return 1; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        var c = g.containers();
        c.create(a.positionals.get(0), createOptions(a));
        return 0;
    }

    static CreateOptions createOptions(ParsedArgs a) {
        if (a.values.containsKey("console-socket")) {
            throw new JrunException("--console-socket: terminals are not supported by jrun yet");
        }
        return new CreateOptions(a.path("bundle", Path.of(".")), a.path("pid-file", null), a.flag("no-pivot"),
                a.integer("preserve-fds", 0));
    }
}
