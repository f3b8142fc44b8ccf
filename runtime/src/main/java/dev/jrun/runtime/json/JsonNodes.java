package dev.jrun.runtime.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A {@link MiniJson} value as the Jackson tree Jackson's own parser would build: ints that fit
 * are IntNode, larger ones LongNode or BigIntegerNode, so both paths give equal Specs.
 */
final class JsonNodes {
    private JsonNodes() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static JsonNode of(Object v) {
        return switch (v) {
            case null -> F.nullNode();
            case String s -> F.textNode(s);
            case Boolean b -> F.booleanNode(b);
            case Long l -> l == l.intValue() ? F.numberNode(l.intValue()) : F.numberNode(l);
            case BigInteger b -> F.numberNode(b);
            case Double d -> F.numberNode(d);
            case Map<?, ?> m -> {
                ObjectNode o = F.objectNode();
                for (Map.Entry<?, ?> e : m.entrySet()) o.set((String) e.getKey(), of(e.getValue()));
                yield o;
            }
            case List<?> l -> {
                ArrayNode a = F.arrayNode();
                for (Object e : l) a.add(of(e));
                yield a;
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        };
    }
}
