package dev.jrun.cli;

import java.util.List;

/** `jrun image SUBCOMMAND`: the image store (pull, import, ls, inspect, rm, unpack, unmount, prune). */
final class ImageCommand implements Command {
    static final List<Command> SUBCOMMANDS = List.of(new ImagePullCommand(), new ImageImportCommand(),
            new ImageListCommand(), new ImageInspectCommand(), new ImageRemoveCommand(), new ImageUnpackCommand(),
            new ImageUnmountCommand(), new ImagePruneCommand());

    @Override public String name() { return "image"; }
    @Override public String usage() { return "command [command options] [arguments...]"; }
    @Override public String description() { return "pull, import, list, inspect, remove and unpack OCI images"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 0; }
    @Override public int maxArgs() { return -1; }
    @Override public boolean trailingArgsVerbatim() { return true; }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        if (a.positionals.isEmpty()) {
            System.out.print(Help.group("image", description(), SUBCOMMANDS));
            return 1;
        }
        return Main.dispatch(a.positionals, 0, SUBCOMMANDS, g, "image ");
    }
}
