package dev.jrun.cli;

import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.Timing;
import dev.jrun.runtime.init.InitMain;

import java.util.Arrays;
import java.util.List;

/**
 * The `jrun` executable: runc's command line. `jrun init` (hidden) is the container init and
 * skips the CLI entirely.
 *
 * <p>The parser is jrun's own rather than a library's: measured here, building picocli's model
 * from annotations cost about 130 ms of every command even with the AOT cache, which is more
 * than all of `runc run`; this one costs well under a millisecond.
 */
public final class Main {
    private Main() {}

    static final List<Command> COMMANDS = List.of(new CreateCommand(), new StartCommand(), new RunCommand(),
            new StateCommand(), new KillCommand(), new DeleteCommand(), new ListCommand(), new PsCommand(),
            new SpecCommand(), new FeaturesCommand(), new PauseCommand(), new ResumeCommand(), new UpdateCommand(),
            new EventsCommand(), new ImageCommand());

    public static void main(String[] args) {
        Timing.mark("cli: main");
        if (args.length > 0 && args[0].equals("init")) {
            InitMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int code = execute(args);
        System.out.flush();
        System.err.flush();
        // halt, not exit: jrun registers no shutdown hooks, and Runtime.exit sets up the JDK's
        // logging (to log the exit) at a cost of milliseconds per command.
        Runtime.getRuntime().halt(code);
    }

    /** Runs one CLI invocation and returns its exit status. */
    public static int execute(String... argv) {
        List<String> args = List.of(argv);
        ParsedArgs global = new ParsedArgs();
        Globals globals = new Globals(global);
        try {
            int next = ArgParser.parse(args, 0, Globals.OPTIONS, global, null, false, true);
            if (global.flag("version")) {
                System.out.print(Version.text());
                return 0;
            }
            if (next >= args.size()) {
                System.out.print(Help.global(COMMANDS));
                return global.flag("help") ? 0 : 1;
            }
            return dispatch(args, next, COMMANDS, globals, "");
        } catch (JrunException | IllegalArgumentException e) {
            report(globals, e);
            return 1;
        } catch (Exception e) {
            report(globals, e);
            if (Boolean.getBoolean("jrun.trace")) e.printStackTrace();
            return 1;
        }
    }

    /**
     * Runs the command named by {@code args[next]} from {@code commands} with the arguments after
     * it; {@code group} prefixes the name in messages ("image " for jrun image's subcommands).
     */
    static int dispatch(List<String> args, int next, List<Command> commands, Globals globals, String group)
            throws Exception {
        String name = args.get(next);
        Command cmd = find(commands, name);
        if (cmd == null) {
            throw new JrunException("No help topic for '" + group + name + "'");
        }
        ParsedArgs parsed = new ParsedArgs();
        List<Option> options = new java.util.ArrayList<>(cmd.options());
        options.add(Option.flag("show help", "help", "h"));
        ArgParser.parse(args, next + 1, options, parsed, group + name, cmd.trailingArgsVerbatim(), false);
        if (parsed.flag("help")) {
            System.out.print(Help.command(cmd, group));
            return 0;
        }
        int n = parsed.positionals.size();
        if (n < cmd.minArgs() || (cmd.maxArgs() >= 0 && n > cmd.maxArgs())) {
            throw new JrunException("\"" + group + name + "\" " + Help.argCountRule(cmd));
        }
        return cmd.run(globals, parsed);
    }

    private static void report(Globals globals, Exception e) {
        try {
            globals.configureLog();
        } catch (IllegalArgumentException bad) {
            // a bad --log/--log-format: report on stderr
        }
        Log.error(messageOf(e));
    }

    private static Command find(List<Command> commands, String name) {
        for (Command c : commands) {
            if (c.name().equals(name) || (c.name().equals("list") && name.equals("ls"))) return c;
        }
        return null;
    }

    static String messageOf(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.toString() : m;
    }
}
