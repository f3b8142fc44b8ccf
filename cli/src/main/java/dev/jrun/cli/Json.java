package dev.jrun.cli;

import dev.jrun.runtime.json.JsonWriter;

/** JSON output as Go's encoding/json writes it (runc's shapes). */
final class Json {
    private Json() {}

    /** json.MarshalIndent(v, "", "  "). */
    static String indented(Object v) {
        return JsonWriter.indented(v, "  ");
    }

    /** json.NewEncoder(os.Stdout).Encode(v): compact plus a newline. */
    static String compact(Object v) {
        return JsonWriter.compact(v) + "\n";
    }
}
