package dev.jrun.cli;

import dev.jrun.runtime.JrunException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `events`: runc's JSON lines. --stats prints one stats object and exits; without it jrun prints
 * stats every --interval and an "oom" event whenever memory.events counts a new OOM kill, until
 * the container stops.
 */
final class EventsCommand implements Command {
    @Override public String name() { return "events"; }
    @Override public String usage() { return "<container-id>"; }
    @Override public String description() { return "display container events such as OOM notifications and stats"; }
    @Override public List<Option> options() {
        return List.of(Option.flag("display the container's stats once, then exit", "stats"),
                Option.value("DURATION", "stats interval (default 5s)", "interval"));
    }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return 1; }

    @Override
    public int run(Globals g, ParsedArgs a) throws InterruptedException {
        var c = g.containers();
        String id = a.positionals.get(0);
        if (a.flag("stats")) {
            System.out.print(Json.compact(event("stats", id, c.stats(id))));
            return 0;
        }
        long interval = durationMillis(a.value("interval", "5s"));
        long ooms = c.oomKills(id);
        long nextStats = 0;
        while (true) {
            // OOM kills first: the kill that stops the container must still be reported.
            long kills = c.oomKills(id);
            if (kills > ooms) {
                System.out.print(Json.compact(event("oom", id, null)));
                ooms = kills;
            }
            Map<String, Object> stats;
            try {
                stats = c.stats(id);
            } catch (JrunException stopped) {
                System.out.flush();
                return 0; // the container has stopped: the stream ends, as runc's does
            }
            long now = System.currentTimeMillis();
            if (now >= nextStats) {
                System.out.print(Json.compact(event("stats", id, stats)));
                nextStats = now + interval;
            }
            System.out.flush();
            Thread.sleep(Math.min(interval, 200));
        }
    }

    private static Map<String, Object> event(String type, String id, Object data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("id", id);
        if (data != null) e.put("data", data);
        return e;
    }

    /** Go durations as runc takes them: 500ms, 5s, 1m, 1h. */
    static long durationMillis(String d) {
        var m = java.util.regex.Pattern.compile("^([0-9]+)(ms|s|m|h)$").matcher(d);
        if (!m.matches()) throw new JrunException("invalid duration \"" + d + "\" for flag --interval");
        long n = Long.parseLong(m.group(1));
        long ms = switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
        if (ms <= 0) throw new JrunException("--interval must be positive");
        return ms;
    }
}
