package dev.jrun.runtime.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;

import java.io.IOException;
import java.math.BigInteger;

/**
 * JSON uint64 &lt;-&gt; Java long holding the unsigned bit pattern. Needed for rlimits, where
 * RLIM_INFINITY is 18446744073709551615 and does not fit a signed long.
 */
final class UnsignedLongJson {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private UnsignedLongJson() {
    }

    static final class Deserializer extends StdScalarDeserializer<Long> {

        private static final long serialVersionUID = 1L;

        Deserializer() {
            super(Long.TYPE);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                // Strings, floats, booleans...: let Jackson build its mismatch error (path, token).
                return (Long) ctxt.handleUnexpectedToken(Long.TYPE, p);
            }
            BigInteger value = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? p.getBigIntegerValue() : BigInteger.valueOf(p.getLongValue());
            if (value.signum() < 0 || value.compareTo(TWO_64) >= 0) {
                throw new SpecInputException(p, "expected an unsigned 64-bit integer (0 to 18446744073709551615), got "
                        + p.getText(), Long.TYPE);
            }
            return value.longValue();
        }

        @Override
        public Long getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            // A null cannot be stored in the primitive; report it like other null-for-number errors.
            throw new SpecInputException(ctxt.getParser(), "expected a number, got null", Long.TYPE);
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return 0L; // absent means 0, as in Go; only an explicit null is an error
        }
    }

    static final class Serializer extends StdScalarSerializer<Long> {

        private static final long serialVersionUID = 1L;

        Serializer() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value >= 0) {
                gen.writeNumber(value);
            } else {
                gen.writeNumber(new BigInteger(Long.toUnsignedString(value)));
            }
        }
    }
}
