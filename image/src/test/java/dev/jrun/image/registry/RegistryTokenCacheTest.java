package dev.jrun.image.registry;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RegistryTokenCacheTest {
    /** A clock the test moves. */
    static final class Manual extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId z) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void parallelCallersShareOneFetch() throws Exception {
        TokenCache cache = new TokenCache(Clock.systemUTC());
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    return cache.get("scope", () -> {
                        fetches.incrementAndGet();
                        try {
                            Thread.sleep(50); // long enough for the others to arrive and wait
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                        return new TokenCache.Token("t", Instant.now().plusSeconds(300));
                    });
                }));
            }
            start.countDown();
            for (Future<String> f : fs) assertEquals("t", f.get());
        }
        assertEquals(1, fetches.get());
    }

    @Test
    void expiringTokensAreRefreshedAndScopesAreSeparate() throws Exception {
        Manual clock = new Manual();
        TokenCache cache = new TokenCache(clock);
        AtomicInteger n = new AtomicInteger();
        TokenCache.Fetcher f = () -> new TokenCache.Token("t" + n.incrementAndGet(), clock.now.plusSeconds(60));
        assertEquals("t1", cache.get("a", f));
        assertEquals("t1", cache.get("a", f));
        assertEquals("t2", cache.get("b", f));
        clock.now = clock.now.plus(Duration.ofSeconds(56)); // within the margin of expiry
        assertEquals("t3", cache.get("a", f));
    }

    @Test
    void invalidateForgetsOnlyTheRefusedValue() throws Exception {
        TokenCache cache = new TokenCache(Clock.systemUTC());
        AtomicInteger n = new AtomicInteger();
        TokenCache.Fetcher f = () -> new TokenCache.Token("t" + n.incrementAndGet(), Instant.now().plusSeconds(300));
        assertEquals("t1", cache.get("a", f));
        cache.invalidate("a", "t1");
        assertEquals("t2", cache.get("a", f));
        cache.invalidate("a", "t1"); // a late thread refusing the old token leaves the new one alone
        assertEquals("t2", cache.get("a", f));
    }
}
