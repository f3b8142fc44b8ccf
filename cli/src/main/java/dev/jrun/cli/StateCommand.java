package dev.jrun.cli;

import java.util.List;

/** `state`: runc's JSON, two-space indented, no trailing newline. */
final class StateCommand implements Command {
    @Override public String name() { return "state"; }
    @Override public String usage() { return "<container-id>"; }
    @Override public String description() { return "output the state of a container"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return 1; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        System.out.print(Json.indented(g.containers().state(a.positionals.get(0))));
        return 0;
    }
}
