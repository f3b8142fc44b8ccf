package dev.jrun.cli;

import java.util.List;

/** `start`: the created container's process is executed. */
final class StartCommand implements Command {
    @Override public String name() { return "start"; }
    @Override public String usage() { return "<container-id>"; }
    @Override public String description() { return "execute the process of a created container"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return -1; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        var c = g.containers();
        for (String id : a.positionals) c.start(id);
        return 0;
    }
}
