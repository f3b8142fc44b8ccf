package dev.jrun.cli;

import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.state.ContainerView;

import java.util.ArrayList;
import java.util.List;

/** `list`: runc's table, or --format json (null when empty, like Go's nil slice), or -q. */
final class ListCommand implements Command {
    @Override public String name() { return "list"; }
    @Override public String usage() { return ""; }
    @Override public String description() { return "list containers"; }
    @Override public List<Option> options() {
        return List.of(Option.value("FORMAT", "table or json", "format", "f"), Option.flag("only ids", "quiet", "q"));
    }
    @Override public int minArgs() { return 0; }
    @Override public int maxArgs() { return 0; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        List<ContainerView> all = g.containers().list();
        if (a.flag("quiet")) {
            for (ContainerView v : all) System.out.println(v.id());
            return 0;
        }
        String format = a.value("format", "table");
        switch (format) {
            case "json" -> System.out.print(all.isEmpty() ? "null\n" : Json.compact(all));
            case "table" -> {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"});
                for (ContainerView v : all) {
                    rows.add(new String[] {v.id(), Integer.toString(v.pid()), v.status(), v.bundle(), v.created(), v.owner()});
                }
                System.out.print(TabWriter.format(rows, 12, 3));
            }
            default -> throw new JrunException("invalid format option");
        }
        return 0;
    }
}
