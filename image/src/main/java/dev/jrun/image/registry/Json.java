package dev.jrun.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson mapper of this package, made on first use: a public image over a registry
 * that sends proper media types needs none (tree reads only: auth files, token answers, error
 * documents, a root without a usable Content-Type).
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
}
