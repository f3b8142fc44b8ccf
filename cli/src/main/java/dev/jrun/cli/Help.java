package dev.jrun.cli;

import java.util.List;

/** --help texts. */
final class Help {
    private Help() {}

    static String global(List<Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("NAME:\n   jrun - an OCI container runtime in Java, with runc's command line\n\n");
        sb.append("USAGE:\n   jrun [global options] command [command options] [arguments...]\n\n");
        sb.append("VERSION:\n   ").append(Version.VERSION).append("\n\nCOMMANDS:\n");
        for (Command c : commands) sb.append(String.format("   %-10s %s%n", c.name(), c.description()));
        sb.append("\nGLOBAL OPTIONS:\n");
        options(sb, Globals.OPTIONS);
        return sb.toString();
    }

    static String command(Command c, String group) {
        StringBuilder sb = new StringBuilder();
        sb.append("NAME:\n   jrun ").append(group).append(c.name()).append(" - ").append(c.description()).append("\n\n");
        sb.append("USAGE:\n   jrun ").append(group).append(c.name()).append(" [command options] ").append(c.usage()).append("\n\n");
        if (!c.options().isEmpty()) {
            sb.append("OPTIONS:\n");
            options(sb, c.options());
        }
        return sb.toString();
    }

    /** The subcommands of a group such as {@code jrun image}. */
    static String group(String group, String description, List<Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("NAME:\n   jrun ").append(group).append(" - ").append(description).append("\n\n");
        sb.append("USAGE:\n   jrun [global options] ").append(group).append(" command [command options] [arguments...]\n\nCOMMANDS:\n");
        for (Command c : commands) sb.append(String.format("   %-10s %s%n", c.name(), c.description()));
        return sb.toString();
    }

    static String argCountRule(Command c) {
        if (c.minArgs() == c.maxArgs()) return "requires exactly " + c.minArgs() + " argument(s)";
        if (c.maxArgs() < 0) return "requires a minimum of " + c.minArgs() + " argument(s)";
        return "requires between " + c.minArgs() + " and " + c.maxArgs() + " argument(s)";
    }

    private static void options(StringBuilder sb, List<Option> opts) {
        for (Option o : opts) {
            StringBuilder names = new StringBuilder();
            for (String n : o.names()) {
                if (!names.isEmpty()) names.append(", ");
                names.append(n.length() == 1 ? "-" : "--").append(n);
            }
            if (o.takesValue()) names.append(" ").append(o.valueName());
            sb.append(String.format("   %-28s %s%n", names, o.help()));
        }
    }
}
