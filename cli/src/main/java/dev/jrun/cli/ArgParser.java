package dev.jrun.cli;

import dev.jrun.runtime.JrunException;

import java.util.List;

/**
 * Parses flags the way runc's CLI library does: "--name value", "--name=value", "-name value",
 * short "-b value", boolean "--force" or "--force=false". Parsing stops at "--" and, for commands
 * whose trailing arguments are passed on (ps), at the first positional.
 */
final class ArgParser {
    private ArgParser() {}

    /**
     * @param stopAtPositional   true: the first positional ends flag parsing (rest is positional)
     * @param stopAtFirstCommand true: returns at the first positional, leaving it unparsed (globals)
     * @return the index of the first argument not consumed
     */
    static int parse(List<String> args, int from, List<Option> options, ParsedArgs out, String command,
                     boolean stopAtPositional, boolean stopAtFirstCommand) {
        int i = from;
        boolean flagsDone = false;
        while (i < args.size()) {
            String a = args.get(i);
            if (flagsDone || !a.startsWith("-") || a.equals("-")) {
                if (stopAtFirstCommand) return i;
                out.positionals.add(a);
                if (stopAtPositional) flagsDone = true;
                i++;
                continue;
            }
            if (a.equals("--")) {
                flagsDone = true;
                i++;
                continue;
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String name = body, inline = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                inline = body.substring(eq + 1);
            }
            Option o = find(options, name);
            if (o == null) {
                throw new JrunException((command == null ? "" : command + ": ") + "flag provided but not defined: -" + name);
            }
            if (o.takesValue()) {
                if (inline == null) {
                    if (i + 1 >= args.size()) {
                        throw new JrunException((command == null ? "" : command + ": ") + "flag needs an argument: -" + name);
                    }
                    inline = args.get(++i);
                }
                out.values.put(o.primary(), inline);
            } else {
                out.values.put(o.primary(), inline == null ? "true" : goBool(inline, name));
            }
            i++;
        }
        return i;
    }

    /** Go's strconv.ParseBool spellings, which runc's flag parsing accepts. */
    private static String goBool(String v, String name) {
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> "true";
            case "0", "f", "F", "false", "FALSE", "False" -> "false";
            default -> throw new JrunException("invalid boolean value \"" + v + "\" for -" + name + ": parse error");
        };
    }

    private static Option find(List<Option> options, String name) {
        for (Option o : options) if (o.names().contains(name)) return o;
        return null;
    }
}
