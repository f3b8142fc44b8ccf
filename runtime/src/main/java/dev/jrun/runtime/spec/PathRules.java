package dev.jrun.runtime.spec;

import java.util.ArrayList;
import java.util.List;

/** Lexical path checks shared by the validators (no filesystem access). */
final class PathRules {

    private PathRules() {
    }

    static boolean isAbsolute(String path) {
        return path != null && path.startsWith("/");
    }

    /** Like Go's filepath.Clean for absolute paths: resolves ".", ".." and repeated slashes. */
    static String cleanAbsolute(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
            } else {
                parts.add(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** True if following ".." components would leave the directory the path is relative to. */
    static boolean escapes(String path) {
        int depth = 0;
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
        return false;
    }
}
