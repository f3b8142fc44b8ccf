package dev.jrun.runtime.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a bundle's config.json into {@link Spec} with errors that point at the exact place
 * (line, column, JSON path) and say what is wrong. Parsing only checks JSON types; the
 * semantic rules live in {@link SpecValidator}.
 */
public final class ConfigLoader {

    public static final String CONFIG_FILE = "config.json";

    /**
     * Built on first use: configuring Jackson costs about 30 ms at JVM start, and the usual path
     * (a valid config, see MiniJson) never needs it.
     */
    private static final class Jackson {
        static final ObjectMapper MAPPER = createMapper();
        // runc writes Go's json.MarshalIndent(v, "", "\t") output: tab indent, "key": value, one
        // array element per line, empty containers as [] and {}.
        static final ObjectWriter GO_STYLE_WRITER = Jackson.MAPPER.writer(goStylePrinter());
    }

    private ConfigLoader() {
    }

    /** Reads and parses {@code bundleDir/config.json} (no validation). */
    public static Spec load(Path bundleDir) {
        return parse(readText(bundleDir), CONFIG_FILE);
    }

    /** The text of {@code bundleDir/config.json}, with the loader's errors for a missing file. */
    public static String readText(Path bundleDir) {
        Path file = bundleDir.resolve(CONFIG_FILE);
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(CONFIG_FILE + ": no such file in bundle " + bundleDir, e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(CONFIG_FILE + ": not valid UTF-8 (in bundle " + bundleDir + ")", e);
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FILE + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        return json;
    }

    /** Parses config JSON text; {@code fileName} is only used to prefix error messages. */
    public static Spec parse(String json, String fileName) {
        if (json.isBlank()) {
            throw ConfigException.at(fileName, JsonPaths.ROOT, "file is empty, expected a JSON object");
        }
        // Fast path (see MiniJson): a config that binds cleanly is the same Spec Jackson would
        // build; anything else is parsed again by Jackson for its precise error message.
        try {
            Object tree = dev.jrun.runtime.json.MiniJson.parse(json);
            dev.jrun.runtime.Timing.mark("config: json parsed");
            Spec fast = dev.jrun.runtime.json.RecordBinder.bind(tree, Spec.class);
            if (fast != null) return fast;
        } catch (RuntimeException e) {
            dev.jrun.runtime.Timing.mark("config: fast path declined (" + e.getMessage() + "), parsing with Jackson");
        }
        try (JsonParser parser = Jackson.MAPPER.createParser(json)) {
            Spec spec;
            try {
                // Own parser (not readValue(String)) so it is still open when we describe the error.
                spec = Jackson.MAPPER.readValue(parser, Spec.class);
            } catch (JacksonException e) {
                throw JsonErrors.toConfigException(fileName, e, parser);
            }
            if (spec == null) {
                throw ConfigException.at(fileName, JsonPaths.ROOT, "expected an object, got null");
            }
            return spec;
        } catch (IOException e) {
            // Only reachable from closing a String-backed parser, which does no I/O.
            throw new ConfigException(fileName + ": " + e.getMessage(), e);
        }
    }

    /** Compact JSON, absent (null) fields omitted. */
    public static String toJson(Spec spec) {
        try {
            return Jackson.MAPPER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise spec", e);
        }
    }

    /** JSON formatted exactly like runc/Go (tab indented, no trailing newline). */
    public static String toPrettyJson(Spec spec) {
        try {
            return Jackson.GO_STYLE_WRITER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise spec", e);
        }
    }

    /**
     * The shared, strict mapper. Shared so every module reads/writes specs (and seccomp/state
     * JSON) the same way; do not reconfigure it, use {@code mapper().copy()} for variations.
     */
    public static ObjectMapper mapper() {
        return Jackson.MAPPER;
    }

    private static ObjectMapper createMapper() {
        JsonMapper mapper = JsonMapper.builder()
                // Go's decoder rejects these, so a config runc refuses must not pass here either.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // The spec grows; fields we do not model yet (or vendor extensions) are ignored.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(AbsentPrimitives.module())
                .build();
        // No "1024" -> 1024, "true" -> true, 1 -> true, 1 -> "1", 1.5 -> 1 guessing.
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(numeric)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    private static DefaultPrettyPrinter goStylePrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultIndenter tabs = new DefaultIndenter("\t", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentObjectsWith(tabs);
        printer.indentArraysWith(tabs);
        return printer;
    }
}
