package dev.jrun.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a WWW-Authenticate header (RFC 7235): a scheme and its parameters, as in
 * {@code Bearer realm="https://auth.example/token",service="registry.example",scope="repository:x:pull"}.
 * Scheme and parameter names are case-insensitive (kept lowercase here); values are unquoted.
 */
record Challenge(String scheme, Map<String, String> params) {
    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    String param(String name) {
        return params.get(name);
    }

    /**
     * The challenge to answer among all WWW-Authenticate values: Bearer if offered (a token is
     * scoped; basic credentials would go to every request), else Basic, else null.
     */
    static Challenge pick(List<String> headerValues) {
        Challenge basic = null;
        for (String v : headerValues) {
            for (Challenge c : parse(v)) {
                if (c.isBearer() && c.param("realm") != null) return c;
                if (c.isBasic() && basic == null) basic = c;
            }
        }
        return basic;
    }

    /**
     * Every challenge in one header value. Several may share a value, separated by commas like
     * the parameters themselves: a new challenge starts where a bare token is followed by a
     * space or the end instead of '='.
     */
    static List<Challenge> parse(String header) {
        List<Challenge> out = new ArrayList<>();
        Lexer lx = new Lexer(header);
        String scheme = null;
        Map<String, String> params = null;
        while (true) {
            lx.skipSpacesAndCommas();
            if (lx.atEnd()) break;
            String token = lx.token();
            if (token.isEmpty()) { // a stray character: skip it rather than loop on it
                lx.pos++;
                continue;
            }
            lx.skipSpaces();
            if (lx.peek() == '=' && scheme != null) {
                lx.pos++;
                lx.skipSpaces();
                String value = lx.peek() == '"' ? lx.quoted() : lx.token68();
                params.put(token.toLowerCase(Locale.ROOT), value);
            } else if (lx.peek() == '=') {
                lx.token68(); // a parameter before any scheme: meaningless, dropped
            } else {
                if (scheme != null) out.add(new Challenge(scheme, params));
                scheme = token.toLowerCase(Locale.ROOT);
                params = new LinkedHashMap<>();
            }
        }
        if (scheme != null) out.add(new Challenge(scheme, params));
        return out;
    }

    private static final class Lexer {
        final String s;
        int pos;

        Lexer(String s) {
            this.s = s == null ? "" : s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? 0 : s.charAt(pos);
        }

        void skipSpaces() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) pos++;
        }

        void skipSpacesAndCommas() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == ',')) pos++;
        }

        /** An RFC 7230 token (scheme or parameter name). */
        String token() {
            int start = pos;
            while (!atEnd() && isTokenChar(peek())) pos++;
            return s.substring(start, pos);
        }

        /** An unquoted value: up to a comma or space. */
        String token68() {
            int start = pos;
            while (!atEnd() && peek() != ',' && peek() != ' ' && peek() != '\t') pos++;
            return s.substring(start, pos);
        }

        /** A quoted-string, backslash escapes undone; an unterminated one runs to the end. */
        String quoted() {
            StringBuilder b = new StringBuilder();
            pos++; // opening quote
            while (!atEnd()) {
                char c = s.charAt(pos++);
                if (c == '"') break;
                if (c == '\\' && !atEnd()) c = s.charAt(pos++);
                b.append(c);
            }
            return b.toString();
        }

        static boolean isTokenChar(char c) {
            return c > ' ' && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
        }
    }
}
