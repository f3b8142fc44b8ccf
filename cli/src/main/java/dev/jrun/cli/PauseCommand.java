package dev.jrun.cli;

import java.util.List;

/** `pause`: freezes all processes of the container (cgroup.freeze). */
final class PauseCommand implements Command {
    @Override public String name() { return "pause"; }
    @Override public String usage() { return "<container-id>"; }
    @Override public String description() { return "suspend all processes of a container"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return -1; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        var c = g.containers();
        for (String id : a.positionals) c.pause(id);
        return 0;
    }
}
