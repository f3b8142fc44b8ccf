package dev.jrun.cli;

import java.util.List;

/** One subcommand: its flags, its positional arguments and what it does. */
interface Command {
    String name();

    /** "ID", "ID [SIGNAL]", ...: shown in help and used to check the count. */
    String usage();

    String description();

    List<Option> options();

    int minArgs();

    /** -1 for no limit. */
    int maxArgs();

    /** True when arguments after the first positional are passed on untouched (ps). */
    default boolean trailingArgsVerbatim() {
        return false;
    }

    int run(Globals globals, ParsedArgs args) throws Exception;
}
