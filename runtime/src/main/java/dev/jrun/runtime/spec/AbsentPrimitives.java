package dev.jrun.runtime.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;

/**
 * FAIL_ON_NULL_FOR_PRIMITIVES makes Jackson reject an explicit {@code "uid": null} (good) but
 * also a record component that is simply absent (bad: Go, and so runc, reads a missing number as
 * 0). These wrappers keep the strict handling of null and supply the zero value when absent.
 */
final class AbsentPrimitives {

    private AbsentPrimitives() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("jrun-absent-primitives");
        module.addDeserializer(Long.TYPE, new Deserializer<>(Long.TYPE, 0L));
        module.addDeserializer(Integer.TYPE, new Deserializer<>(Integer.TYPE, 0));
        module.addDeserializer(Boolean.TYPE, new Deserializer<>(Boolean.TYPE, false));
        return module;
    }

    static final class Deserializer<T> extends StdScalarDeserializer<T> {

        private static final long serialVersionUID = 1L;

        private final JsonDeserializer<T> standard;
        private final T absent;

        @SuppressWarnings("unchecked")
        Deserializer(Class<T> primitive, T absent) {
            super(primitive);
            this.standard = (JsonDeserializer<T>) NumberDeserializers.find(primitive, primitive.getName());
            this.absent = absent;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return standard.deserialize(p, ctxt);
        }

        @Override
        public T getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            return standard.getNullValue(ctxt); // throws: FAIL_ON_NULL_FOR_PRIMITIVES
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return absent;
        }

        @Override
        public LogicalType logicalType() {
            return standard.logicalType();
        }
    }
}
