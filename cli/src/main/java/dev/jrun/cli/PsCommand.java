package dev.jrun.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** `ps`: runc runs ps(1) and keeps the container's lines; --format json gives the pids. */
final class PsCommand implements Command {
    @Override public String name() { return "ps"; }
    @Override public String usage() { return "<container-id> [ps options]"; }
    @Override public String description() { return "display the processes running inside a container"; }
    @Override public List<Option> options() { return List.of(Option.value("FORMAT", "table or json", "format", "f")); }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return -1; }
    @Override public boolean trailingArgsVerbatim() { return true; }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        List<Integer> pids = g.containers().pids(a.positionals.get(0));
        List<String> psOptions = a.positionals.subList(1, a.positionals.size());
        String format = a.value("format", "table");
        switch (format) {
            case "json" -> System.out.print(Json.compact(pids));
            case "table" -> printTable(pids, psOptions);
            default -> throw new dev.jrun.runtime.JrunException("invalid format option: " + format);
        }
        System.out.flush();
        return 0;
    }

    /** runc runs ps(1) and keeps the header and the lines whose PID column is the container's. */
    private static void printTable(List<Integer> pids, List<String> psOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ps"));
        cmd.addAll(psOptions.isEmpty() ? List.of("-ef") : psOptions);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) lines.add(l);
        }
        if (p.waitFor() != 0) throw new dev.jrun.runtime.JrunException("ps " + String.join(" ", cmd) + " failed: " + lines);
        int col = Arrays.asList(lines.get(0).trim().split("\\s+")).indexOf("PID");
        if (col < 0) throw new dev.jrun.runtime.JrunException("couldn't find PID field in ps output");
        System.out.println(lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.trim().split("\\s+");
            if (f.length > col && pids.contains(Integer.parseInt(f[col]))) System.out.println(l);
        }
    }
}
