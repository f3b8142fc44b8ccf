package dev.jrun.cli;

import dev.jrun.runtime.JrunException;

import java.util.List;

/** `delete`: removes containers; --force also kills running ones. */
final class DeleteCommand implements Command {
    @Override public String name() { return "delete"; }
    @Override public String usage() { return "<container-id> [container-id...]"; }
    @Override public String description() { return "delete a container and everything it holds"; }
    @Override public List<Option> options() { return List.of(Option.flag("kill the container first if it runs", "force", "f")); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return -1; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        var c = g.containers();
        boolean force = a.flag("force");
        int rc = 0;
        for (String id : a.positionals) {
            try {
                c.delete(id, force);
            } catch (JrunException e) {
                // runc: delete --force of an id that does not exist succeeds
                if (force && "container does not exist".equals(e.getMessage())) continue;
                if (a.positionals.size() == 1) throw e;
                Log.error(e.getMessage());
                rc = 1;
            }
        }
        return rc;
    }
}
