package dev.jrun.runtime.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;

/**
 * Turns Jackson's long exception texts into "file: line L, column C at $.path: reason", where
 * the reason is a short sentence such as: expected a number, got "root".
 */
final class JsonErrors {

    private JsonErrors() {
    }

    /**
     * @param parser the parser that was reading when the error happened; still open, so its
     *               current token tells us what the file actually contained
     */
    static ConfigException toConfigException(String fileName, JacksonException e, JsonParser parser) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? -1 : loc.getLineNr();
        int column = loc == null ? -1 : loc.getColumnNr();
        // Mapping errors carry the exact reference chain; syntax errors only have the parser state.
        String path = e instanceof JsonMappingException jme ? mappingPath(jme) : contextPath(parser);
        return ConfigException.atLocation(fileName, line, column, path, reason(e, parser), e);
    }

    private static String reason(JacksonException e, JsonParser parser) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof SpecInputException) {
            return original;
        }
        if (e instanceof MismatchedInputException mie) {
            if (original.startsWith("Trailing token")) {
                return "unexpected content after the end of the top-level JSON value";
            }
            if (mie.getTargetType() != null) {
                return "expected " + expected(mie.getTargetType(), parser.currentToken()) + ", got " + got(parser);
            }
        }
        // Databind wraps the parser's out-of-range error; look through the wrapper.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputCoercionException ice && ice.getTargetType() != null) {
                return "number " + safeText(parser) + " is out of range for " + range(ice.getTargetType());
            }
        }
        return tidy(original);
    }

    /** What the model wanted, in words; integers are called out when a fraction was given. */
    private static String expected(Class<?> type, JsonToken actual) {
        if (isIntegral(type)) {
            return actual == JsonToken.VALUE_NUMBER_FLOAT ? "an integer" : "a number";
        }
        if (Number.class.isAssignableFrom(type) || type == Float.TYPE || type == Double.TYPE) {
            return "a number";
        }
        if (type == Boolean.class || type == Boolean.TYPE) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == Character.TYPE) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a value of type " + type.getSimpleName();
    }

    private static boolean isIntegral(Class<?> type) {
        return type == Long.class || type == Long.TYPE || type == Integer.class || type == Integer.TYPE
                || type == Short.class || type == Short.TYPE || type == Byte.class || type == Byte.TYPE
                || type == BigInteger.class;
    }

    private static String range(Class<?> type) {
        if (type == Integer.class || type == Integer.TYPE) {
            return "a 32-bit integer";
        }
        if (type == Long.class || type == Long.TYPE) {
            return "a 64-bit integer";
        }
        return type.getSimpleName();
    }

    /** The actual JSON value, shown as it appears in the file (strings quoted, containers named). */
    private static String got(JsonParser parser) {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "end of file";
        }
        return switch (token) {
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> JsonPaths.quote(safeText(parser));
            case VALUE_NULL -> "null";
            default -> safeText(parser);
        };
    }

    private static String safeText(JsonParser parser) {
        try {
            String text = parser.getText();
            return text == null ? "?" : text;
        } catch (IOException ex) {
            return "?";
        }
    }

    /** $.a.b[0] from the reference chain Jackson collected while unwinding. */
    private static String mappingPath(JsonMappingException e) {
        String path = JsonPaths.ROOT;
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path = JsonPaths.field(path, ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path = JsonPaths.index(path, ref.getIndex());
            }
        }
        return path;
    }

    /** For syntax errors there is no reference chain; the parser's nesting context gives the path. */
    private static String contextPath(JsonParser parser) {
        if (parser == null) {
            return JsonPaths.ROOT;
        }
        ArrayDeque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            chain.push(c);
        }
        String path = JsonPaths.ROOT;
        for (JsonStreamContext c : chain) {
            if (c.inObject() && c.getCurrentName() != null) {
                path = JsonPaths.field(path, c.getCurrentName());
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                path = JsonPaths.index(path, c.getCurrentIndex());
            }
        }
        return path;
    }

    /** Jackson syntax messages minus the noise: char codes, source dumps, the capitalised start. */
    private static String tidy(String message) {
        String m = message;
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        m = m.replaceAll(" \\(code \\d+\\)", "")
                .replaceAll("\\s*\\(start marker at \\[.*?\\]\\)", "")
                .replaceAll("\\s*\\(for [^)]*starting at \\[.*?\\]\\)", "")
                .replace("Unexpected end-of-input", "unexpected end of file")
                .trim();
        if (m.isEmpty()) {
            return "invalid JSON";
        }
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
}
