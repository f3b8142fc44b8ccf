package dev.jrun.cli;

import dev.jrun.runtime.json.JsonWriter;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * runc's logging contract: without --log, text lines on stderr
 * ({@code time="..." level=error msg="..."}); with --log FILE, lines appended to FILE in the
 * --log-format (text or json). Engines read the last {"level":"error"} line of the JSON log.
 */
final class Log {
    private static PrintStream out = System.err;
    private static boolean json;
    private static boolean debug;

    private Log() {}

    static void configure(String file, String format, boolean debugOn) {
        debug = debugOn;
        if (format != null) {
            switch (format) {
                case "json" -> json = true;
                case "text" -> json = false;
                default -> throw new IllegalArgumentException("invalid log-format: " + format);
            }
        }
        if (file != null && !file.isEmpty()) {
            try {
                out = new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot open log file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    static void error(String msg) {
        write("error", msg);
    }

    static void warn(String msg) {
        write("warning", msg);
    }

    static void debug(String msg) {
        if (debug) write("debug", msg);
    }

    private static void write(String level, String msg) {
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (json) {
            out.println("{\"level\":\"" + level + "\",\"msg\":" + JsonWriter.quote(msg) + ",\"time\":\"" + time + "\"}");
        } else {
            out.println("time=\"" + time + "\" level=" + level + " msg=" + quote(msg));
        }
        out.flush();
    }

    /**
     * A value as logrus's text formatter quotes it (Go's strconv.Quote): backslash escapes for
     * quotes, backslashes and control characters, nothing else.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
