package dev.jrun.cli;

import java.util.ArrayList;
import java.util.List;

/** `run`: create + start; in the foreground it waits and exits with the container's status. */
final class RunCommand implements Command {
    private static final List<Option> OPTIONS;

    static {
        List<Option> o = new ArrayList<>(CreateCommand.CREATE_OPTIONS);
        o.add(Option.flag("detach from the container's process", "detach", "d"));
        o.add(Option.flag("accepted for runc compatibility", "keep"));
        OPTIONS = List.copyOf(o);
    }

    @Override public String name() { return "run"; }
    @Override public String usage() { return "<container-id>"; }
    @Override public String description() { return "create and run a container (exit status is the container's)"; }
    @Override public List<Option> options() { return OPTIONS; }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return 1; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        var c = g.containers();
        return c.run(a.positionals.get(0), CreateCommand.createOptions(a), a.flag("detach"));
    }
}
