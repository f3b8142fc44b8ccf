package dev.jrun.cli;

import java.util.List;

/**
 * One command-line flag. Every name is accepted with one or two dashes and with its value either
 * as the next argument or after '=' (urfave/cli's rules, which runc's callers rely on).
 *
 * @param names      long names without dashes ("bundle") and one-letter short names ("b")
 * @param takesValue false for a boolean flag
 * @param help       one line for --help
 */
record Option(List<String> names, boolean takesValue, String valueName, String help) {
    static Option flag(String help, String... names) {
        return new Option(List.of(names), false, null, help);
    }

    static Option value(String valueName, String help, String... names) {
        return new Option(List.of(names), true, valueName, help);
    }

    String primary() {
        return names.get(0);
    }
}
