package dev.jrun.cli;

import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.spec.DefaultSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** `spec`: writes the default config.json, as `runc spec` does. */
final class SpecCommand implements Command {
    @Override public String name() { return "spec"; }
    @Override public String usage() { return ""; }
    @Override public String description() { return "create a new specification file (config.json)"; }
    @Override public List<Option> options() {
        return List.of(Option.value("DIR", "where to write config.json", "bundle", "b"),
                Option.flag("rootless container (not supported yet)", "rootless"));
    }
    @Override public int minArgs() { return 0; }
    @Override public int maxArgs() { return 0; }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        g.configureLog();
        if (a.flag("rootless")) throw new JrunException("--rootless: rootless containers are not supported yet");
        Path out = a.path("bundle", Path.of(".")).resolve("config.json");
        if (Files.exists(out)) throw new JrunException("File " + out + " exists. Remove it first");
        Files.writeString(out, DefaultSpec.json());
        return 0;
    }
}
