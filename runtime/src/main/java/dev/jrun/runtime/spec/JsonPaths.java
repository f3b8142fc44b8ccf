package dev.jrun.runtime.spec;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.regex.Pattern;

/**
 * Builds the "$.process.args[0]" style paths used in every config error, and quotes values
 * the way they appear in JSON, so loader and validator messages look the same.
 */
final class JsonPaths {

    static final String ROOT = "$";

    // Keys that can be written after a dot without ambiguity; anything else (e.g. the sysctl
    // key "net.ipv4.ip_forward") is written as ["..."] so the path stays unambiguous.
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonPaths() {
    }

    static String field(String parent, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return parent + "." + key;
        }
        return parent + "[" + quote(key) + "]";
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** A string as a JSON literal ("dev", with escapes), or null unquoted; long values are cut. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 60 ? value.substring(0, 57) + "..." : value;
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(shown)) + "\"";
    }
}
