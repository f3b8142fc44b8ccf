package dev.jrun.cli;

import dev.jrun.runtime.JrunException;

import java.util.List;

/** `kill`: a signal (default SIGTERM) to the init, or with --all to every process. */
final class KillCommand implements Command {
    @Override public String name() { return "kill"; }
    @Override public String usage() { return "<container-id> [signal]"; }
    @Override public String description() { return "send a signal to a container's init process"; }
    @Override public List<Option> options() { return List.of(Option.flag("send the signal to all processes of the container", "all", "a")); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return 2; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        var c = g.containers();
        String sigText = a.positionals.size() > 1 ? a.positionals.get(1) : "SIGTERM";
        int sig;
        try {
            sig = Signals.parse(sigText);
        } catch (IllegalArgumentException e) {
            throw new JrunException(e.getMessage());
        }
        c.kill(a.positionals.get(0), sig, a.flag("all"));
        return 0;
    }
}
