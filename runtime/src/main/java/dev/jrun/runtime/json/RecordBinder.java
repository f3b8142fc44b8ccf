package dev.jrun.runtime.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds a {@link MiniJson} tree to records by their canonical constructors. As strict as jrun's
 * Jackson mapper or stricter: any type mismatch throws {@link BindException}, and callers then
 * let Jackson parse the same text to report the error precisely (or to accept what this binder
 * does not know). Unknown keys are ignored; a missing primitive is 0/false, as runc reads it.
 */
public final class RecordBinder {
    private RecordBinder() {}

    public static final class BindException extends RuntimeException {
        BindException(String msg) {
            super(msg);
        }
    }

    private static final Map<Class<?>, Constructor<?>> CONSTRUCTORS = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public static <T> T bind(Object tree, Class<T> type) {
        return (T) convert(tree, type, false, "$");
    }

    private static Object convert(Object v, Type type, boolean unsigned, String path) {
        if (type instanceof ParameterizedType pt) {
            Class<?> raw = (Class<?>) pt.getRawType();
            if (v == null) return null;
            if (List.class.isAssignableFrom(raw)) {
                if (!(v instanceof List<?> l)) throw mismatch(path, "an array", v);
                List<Object> out = new ArrayList<>(l.size());
                for (int i = 0; i < l.size(); i++) {
                    Object e = l.get(i);
                    if (e == null) throw mismatch(path + "[" + i + "]", "a value", null);
                    out.add(convert(e, pt.getActualTypeArguments()[0], false, path + "[" + i + "]"));
                }
                return out;
            }
            if (Map.class.isAssignableFrom(raw)) {
                if (!(v instanceof Map<?, ?> m)) throw mismatch(path, "an object", v);
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.put((String) e.getKey(), convert(e.getValue(), pt.getActualTypeArguments()[1], false,
                            path + "." + e.getKey()));
                }
                return out;
            }
            throw new BindException(path + ": unsupported type " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            if (v == null) return null;
            if (v instanceof String s) return s;
            throw mismatch(path, "a string", v);
        }
        if (c == long.class || c == Long.class) {
            if (v == null) return c == long.class ? 0L : null;
            if (v instanceof Long l) {
                if (unsigned && l < 0) throw mismatch(path, "an unsigned 64-bit integer", v);
                return l;
            }
            if (unsigned && v instanceof BigInteger b && b.signum() >= 0 && b.bitLength() <= 64) return b.longValue();
            throw mismatch(path, "a 64-bit integer", v);
        }
        if (c == int.class || c == Integer.class) {
            if (v == null) return c == int.class ? 0 : null;
            if (v instanceof Long l && l == l.intValue()) return l.intValue();
            throw mismatch(path, "a 32-bit integer", v);
        }
        if (c == boolean.class || c == Boolean.class) {
            if (v == null) return c == boolean.class ? false : null;
            if (v instanceof Boolean b) return b;
            throw mismatch(path, "true or false", v);
        }
        if (c == Object.class) return v;
        if (c.isEnum()) {
            if (v == null) return null;
            if (!(v instanceof String s)) throw mismatch(path, "a string", v);
            for (Object constant : c.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(s)) return constant;
            }
            throw new BindException(path + ": unknown value " + s);
        }
        if (c == JsonNode.class) {
            // Rare (seccomp, personality): only then pay for Jackson's tree model.
            return v == null ? null : JsonNodes.of(v);
        }
        if (c.isRecord()) {
            if (v == null) return null;
            if (!(v instanceof Map<?, ?> m)) throw mismatch(path, "an object", v);
            RecordComponent[] comps = c.getRecordComponents();
            Object[] args = new Object[comps.length];
            for (int k = 0; k < comps.length; k++) {
                RecordComponent rc = comps[k];
                Object raw = m.get(rc.getName());
                if (raw == null && m.containsKey(rc.getName()) && rc.getType().isPrimitive()) {
                    throw mismatch(path + "." + rc.getName(), "a value", null);
                }
                // Reading annotations would build proxy classes (slow at start-up): the one
                // unsigned field pair of the spec is named here instead.
                boolean uns = c == dev.jrun.runtime.spec.Rlimit.class;
                args[k] = convert(raw, rc.getGenericType(), uns, path + "." + rc.getName());
            }
            try {
                return constructor(c, comps).newInstance(args);
            } catch (ReflectiveOperationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new BindException(path + ": " + cause.getMessage());
            }
        }
        throw new BindException(path + ": unsupported type " + c.getName());
    }

    private static Constructor<?> constructor(Class<?> c, RecordComponent[] comps) {
        return CONSTRUCTORS.computeIfAbsent(c, k -> {
            Class<?>[] types = new Class<?>[comps.length];
            for (int i = 0; i < comps.length; i++) types[i] = comps[i].getType();
            try {
                return k.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new BindException("no canonical constructor on " + k.getName());
            }
        });
    }

    private static BindException mismatch(String path, String expected, Object got) {
        return new BindException(path + ": expected " + expected + ", got " + (got == null ? "null" : got.getClass().getSimpleName()));
    }
}
