package dev.jrun.runtime.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Shared fixtures: runc's golden default config and an editable JSON tree of the default spec. */
final class TestConfigs {

    static final String GOLDEN = "runc-spec-default.json";

    private TestConfigs() {
    }

    /** config.json exactly as `runc spec` (runc 1.1.5) wrote it. */
    static String runcDefault() {
        try (InputStream in = TestConfigs.class.getResourceAsStream(GOLDEN)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + GOLDEN);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default spec as a mutable tree, so a test can break exactly one thing. */
    static ObjectNode defaultTree() {
        try {
            return (ObjectNode) ConfigLoader.mapper().readTree(DefaultSpec.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode obj(ObjectNode root, String pointer) {
        return (ObjectNode) root.at(pointer);
    }

    static Spec parse(ObjectNode tree) {
        return ConfigLoader.parse(tree.toString(), "config.json");
    }
}
