package dev.jrun.image.registry;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens by scope for the length of one pull. The importer fetches config and layers on
 * several threads at once; they share one token per scope, and when it is missing or about to
 * expire exactly one of them fetches the next while the others wait for it.
 */
final class TokenCache {
    /** A token this close to its expiry is not sent: it could expire on the way. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    record Token(String value, Instant expires) {}

    interface Fetcher {
        Token fetch() throws IOException;
    }

    private static final class Slot {
        Token token; // guarded by the slot
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final Clock clock;

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    /** The token for {@code scope}: the cached one while it is good, else a fresh one from {@code fetcher}. */
    String get(String scope, Fetcher fetcher) throws IOException {
        Slot slot = slots.computeIfAbsent(scope, k -> new Slot());
        synchronized (slot) {
            Token t = slot.token;
            if (t == null || !clock.instant().plus(MARGIN).isBefore(t.expires())) {
                t = fetcher.fetch();
                slot.token = t;
            }
            return t.value();
        }
    }

    /**
     * Forgets {@code value} for {@code scope} because the registry refused it. Only that value:
     * another thread may already have put a fresh token in its place.
     */
    void invalidate(String scope, String value) {
        Slot slot = slots.get(scope);
        if (slot == null) return;
        synchronized (slot) {
            if (slot.token != null && slot.token.value().equals(value)) slot.token = null;
        }
    }
}
