package dev.jrun.runtime.json;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * Writes records, maps, lists, strings, numbers and booleans as JSON: record components in
 * declaration order, null components and empty maps left out (runc's omitempty on annotations),
 * Rlimit values unsigned. Compact, or indented like Go's json.MarshalIndent. No annotations are
 * read: that would build proxy classes at every JVM start.
 */
public final class JsonWriter {
    private final StringBuilder sb = new StringBuilder();
    private final String indent;

    private JsonWriter(String indent) {
        this.indent = indent;
    }

    public static String compact(Object v) {
        JsonWriter w = new JsonWriter(null);
        w.value(v, 0, false);
        return w.sb.toString();
    }

    /** Go's json.MarshalIndent(v, "", indent). */
    public static String indented(Object v, String indent) {
        JsonWriter w = new JsonWriter(indent);
        w.value(v, 0, false);
        return w.sb.toString();
    }

    private void newline(int depth) {
        if (indent == null) return;
        sb.append('\n');
        for (int d = 0; d < depth; d++) sb.append(indent);
    }

    private void value(Object v, int depth, boolean unsigned) {
        switch (v) {
            case null -> sb.append("null");
            case String str -> string(str);
            case Boolean b -> sb.append(b);
            case Long l when unsigned -> sb.append(Long.toUnsignedString(l));
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                sb.append('{');
                if (m.isEmpty()) {
                    sb.append('}');
                    return;
                }
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    first = member(String.valueOf(e.getKey()), e.getValue(), depth, first, false);
                }
                newline(depth);
                sb.append('}');
            }
            case Collection<?> c -> {
                sb.append('[');
                if (c.isEmpty()) {
                    sb.append(']');
                    return;
                }
                boolean first = true;
                for (Object o : c) {
                    if (!first) sb.append(',');
                    first = false;
                    newline(depth + 1);
                    value(o, depth + 1, false);
                }
                newline(depth);
                sb.append(']');
            }
            case Enum<?> e -> string(e.name());
            case Record r -> record(r, depth);
            case com.fasterxml.jackson.databind.JsonNode n -> sb.append(n.toString());
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private boolean member(String name, Object v, int depth, boolean first, boolean unsigned) {
        if (!first) sb.append(',');
        newline(depth + 1);
        string(name);
        sb.append(indent == null ? ":" : ": ");
        value(v, depth + 1, unsigned);
        return false;
    }

    private void record(Record r, int depth) {
        sb.append('{');
        boolean first = true;
        try {
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                Object v = rc.getAccessor().invoke(r);
                if (v == null || (v instanceof Map<?, ?> m && m.isEmpty())) continue;
                first = member(rc.getName(), v, depth, first, r instanceof dev.jrun.runtime.spec.Rlimit);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read record " + r.getClass().getName(), e);
        }
        if (!first) newline(depth);
        sb.append('}');
    }

    /** {@code s} as a JSON string literal, escaped as Go's encoding/json escapes it. */
    public static String quote(String s) {
        JsonWriter w = new JsonWriter(null);
        w.string(s);
        return w.sb.toString();
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                // Go's encoder also escapes these (HTML safety, JavaScript line separators).
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
