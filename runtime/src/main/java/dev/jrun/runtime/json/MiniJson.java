package dev.jrun.runtime.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser into plain Java values: Map (insertion-ordered), List, String,
 * Long, BigInteger (beyond long), Double, Boolean and null.
 *
 * <p>Why not Jackson here: building Jackson's deserializers costs over 100 ms at every JVM start,
 * even with the AOT cache, and every jrun command and every container init start a JVM. This
 * parser loads in a few classes. On any error the callers fall back to Jackson, whose messages
 * name the line, column and JSON path.
 */
public final class MiniJson {
    /** Deeper documents are refused rather than overflowing the stack. */
    static final int MAX_DEPTH = 256;

    private final String s;
    private int i;
    private int depth;

    private MiniJson(String s) {
        this.s = s;
    }

    /** Thrown for anything that is not plain, valid JSON. */
    public static final class JsonSyntaxException extends RuntimeException {
        JsonSyntaxException(String msg) {
            super(msg);
        }
    }

    public static Object parse(String text) {
        MiniJson p = new MiniJson(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i != p.s.length()) throw p.error("trailing characters");
        return v;
    }

    private JsonSyntaxException error(String what) {
        return new JsonSyntaxException(what + " at offset " + i);
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') i++;
            else break;
        }
    }

    private Object value() {
        if (i >= s.length()) throw error("unexpected end");
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) throw error("bad literal");
        i += word.length();
        return v;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (peek() == '}') {
            i++;
            depth--;
            return m;
        }
        while (true) {
            ws();
            if (peek() != '"') throw error("expected a key");
            String k = string();
            ws();
            if (peek() != ':') throw error("expected ':'");
            i++;
            ws();
            if (m.containsKey(k)) throw error("duplicate key " + k);
            m.put(k, value());
            ws();
            char c = peek();
            i++;
            if (c == '}') {
                depth--;
                return m;
            }
            if (c != ',') throw error("expected ',' or '}'");
        }
    }

    private List<Object> array() {
        enter();
        List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (peek() == ']') {
            i++;
            depth--;
            return l;
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            char c = peek();
            i++;
            if (c == ']') {
                depth--;
                return l;
            }
            if (c != ',') throw error("expected ',' or ']'");
        }
    }

    private char peek() {
        if (i >= s.length()) throw error("unexpected end");
        return s.charAt(i);
    }

    private String string() {
        i++;
        StringBuilder sb = null;
        int start = i;
        while (true) {
            if (i >= s.length()) throw error("unterminated string");
            char c = s.charAt(i);
            if (c == '"') {
                String r = sb == null ? s.substring(start, i) : sb.append(s, start, i).toString();
                i++;
                return r;
            }
            if (c < 0x20) throw error("control character in string");
            if (c == '\\') {
                if (sb == null) sb = new StringBuilder();
                sb.append(s, start, i);
                i++;
                char e = peek();
                i++;
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        int cp = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = i + k < s.length() ? Character.digit(s.charAt(i + k), 16) : -1;
                            if (d < 0) throw error("bad \\u escape");
                            cp = cp * 16 + d;
                        }
                        sb.append((char) cp);
                        i += 4;
                    }
                    default -> throw error("bad escape");
                }
                start = i;
            } else {
                i++;
            }
        }
    }

    /** JSON's number grammar exactly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    private Object number() {
        int start = i;
        if (i < s.length() && s.charAt(i) == '-') i++;
        if (i >= s.length() || !isDigit(s.charAt(i))) throw error("unexpected character");
        if (s.charAt(i) == '0') {
            i++;
        } else {
            while (i < s.length() && isDigit(s.charAt(i))) i++;
        }
        boolean integral = true;
        if (i < s.length() && s.charAt(i) == '.') {
            integral = false;
            i++;
            if (i >= s.length() || !isDigit(s.charAt(i))) throw error("digit expected after '.'");
            while (i < s.length() && isDigit(s.charAt(i))) i++;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            integral = false;
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            if (i >= s.length() || !isDigit(s.charAt(i))) throw error("digit expected in exponent");
            while (i < s.length() && isDigit(s.charAt(i))) i++;
        }
        if (i < s.length() && isDigit(s.charAt(i))) throw error("leading zero");
        String t = s.substring(start, i);
        if (!integral) return Double.parseDouble(t);
        if (t.length() < 19) return Long.parseLong(t);
        BigInteger b = new BigInteger(t);
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
