package dev.jrun.runtime.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A type error raised by our own deserializers whose message is already the short human reason;
 * Jackson still attaches the JSON path to it as it unwinds.
 */
final class SpecInputException extends MismatchedInputException {

    private static final long serialVersionUID = 1L;

    SpecInputException(JsonParser parser, String reason, Class<?> targetType) {
        super(parser, reason, targetType);
    }
}
