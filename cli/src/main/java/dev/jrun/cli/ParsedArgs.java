package dev.jrun.cli;

import dev.jrun.runtime.JrunException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Flags (by primary name) and positional arguments of one command. */
final class ParsedArgs {
    final Map<String, String> values = new HashMap<>();
    final List<String> positionals = new ArrayList<>();

    boolean flag(String name) {
        String v = values.get(name);
        return v != null && !v.equals("false");
    }

    String value(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    Path path(String name, Path dflt) {
        String v = values.get(name);
        return v == null ? dflt : Path.of(v);
    }

    int integer(String name, int dflt) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new JrunException("invalid value \"" + v + "\" for flag --" + name + ": parse error");
        }
    }
}
