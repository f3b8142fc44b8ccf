package dev.jrun.cli;

import java.util.List;

/** `resume`: thaws a paused container. */
final class ResumeCommand implements Command {
    @Override public String name() { return "resume"; }
    @Override public String usage() { return "<container-id>"; }
    @Override public String description() { return "resume all processes of a paused container"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return -1; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        var c = g.containers();
        for (String id : a.positionals) c.resume(id);
        return 0;
    }
}
