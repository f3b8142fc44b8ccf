package dev.jrun.image.registry;

import com.sun.net.httpserver.HttpServer;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageRef;
import dev.jrun.image.oci.Descriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures between jrun and a real registry, made by {@link FaultProxy}: 5xx and 429 answers,
 * dropped connections, a blob cut mid-stream, redirects to another host (blob storage).
 */
class RegistryFaultTest {
    private static final String USER = "jrunner", PASS = "s3cret-pass";
    private static TestRegistry plain, authed;
    private static FaultProxy proxy, authProxy;
    private static TestLayout.Layout layout;
    private static Path work;

    @BeforeAll
    static void registries() throws IOException {
        work = Files.createTempDirectory("jrun-registry-fault-test-");
        layout = TestLayout.single(work.resolve("layout"), "fault", 200_000);
        plain = TestRegistry.start();
        plain.push(layout.dir(), "test/one:1");
        authed = TestRegistry.start("--htpasswd", USER + ":" + PASS);
        authed.push(layout.dir(), "private/one:1", "--dest-creds", USER + ":" + PASS);
        proxy = new FaultProxy(plain.port);
        authProxy = new FaultProxy(authed.port);
    }

    @AfterAll
    static void stop() throws Exception {
        TestRegistry.closeAll(work, proxy, authProxy, plain, authed);
    }

    @BeforeEach
    void reset() {
        proxy.rule((i, r) -> FaultProxy.PASS);
        authProxy.rule((i, r) -> FaultProxy.PASS);
    }

    private static RegistryOptions opts() {
        return RegistryOptions.defaults().withTlsVerify(false).withEnvironment(Map.of("HOME", work.toString()))
                .withCertsRoots(List.of()).withRetries(3, Duration.ofMillis(20));
    }

    private static String ref() {
        return proxy.host() + "/test/one:1";
    }

    private static boolean isLayer(FaultProxy.Request r) {
        return r.path().endsWith("/blobs/" + layout.image().layer().digest());
    }

    @Test
    void serviceUnavailableIsRetried() throws Exception {
        proxy.rule((i, r) -> i < 2 ? new FaultProxy.Status(503, Map.of()) : FaultProxy.PASS);
        TestPull.Result r = TestPull.pull(ref(), opts());
        assertArrayEquals(layout.image().layer().bytes(), r.blobs().get(layout.image().layer().digest().toString()));
        assertEquals(2 + 3, proxy.requests.size(), "two 503s, then manifest, config, layer: " + proxy.requests);
    }

    @Test
    void exhaustedRetriesNameTheStatus() {
        proxy.rule((i, r) -> new FaultProxy.Status(503, Map.of()));
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(ref(), opts()));
        assertTrue(e.getMessage().contains("503") && e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains(proxy.host() + "/test/one:1"), e.getMessage());
        assertTrue(e.getMessage().contains("INJECTED"), "the error document is quoted: " + e.getMessage());
        assertEquals(3, proxy.requests.size());
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        proxy.rule((i, r) -> i == 0 ? new FaultProxy.Status(429, Map.of("Retry-After", "1")) : FaultProxy.PASS);
        long t0 = System.nanoTime();
        try (RegistrySource src = new RegistrySource(ImageRef.parse(ref()), opts())) {
            src.entries();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 950, "waited " + ms + " ms for Retry-After: 1");
    }

    @Test
    void clientErrorsAreNotRetried() {
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(proxy.host() + "/test/one:nosuchtag", opts()));
        assertTrue(e.getMessage().contains("nosuchtag") && e.getMessage().contains("404"), e.getMessage());
        assertEquals(1, proxy.requests.size());
    }

    @Test
    void forbiddenIsDeniedNamingTheRepositoryAndIsNotRetried() {
        proxy.rule((i, r) -> new FaultProxy.Status(403, Map.of()));
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(ref(), opts()));
        assertTrue(e.getMessage().contains("denied") && e.getMessage().contains("403"), e.getMessage());
        assertTrue(e.getMessage().contains("repository test/one") && e.getMessage().contains(proxy.host()), e.getMessage());
        assertEquals(1, proxy.requests.size());
    }

    @Test
    void droppedConnectionsAreRetried() throws Exception {
        proxy.rule((i, r) -> i < 2 ? new FaultProxy.Drop() : FaultProxy.PASS);
        TestPull.Result r = TestPull.pull(ref(), opts());
        assertEquals(layout.blobs().keySet(), r.blobs().keySet());
    }

    @Test
    void blobCutMidStreamIsAnIOExceptionAndTheNextOpenGetsItAll() throws Exception {
        Descriptor layer = layout.image().layer().descriptor();
        int[] layerRequests = {0};
        proxy.rule((i, r) -> isLayer(r) && layerRequests[0]++ == 0 ? new FaultProxy.Cut(70_000) : FaultProxy.PASS);
        try (RegistrySource src = new RegistrySource(ImageRef.parse(ref()), opts())) {
            src.entries();
            IOException cut = assertThrows(IOException.class, () -> {
                try (InputStream in = src.open(layer)) {
                    in.readAllBytes();
                }
            });
            assertTrue(cut.getMessage().contains(layer.digest()) || cut.getCause() != null, "says what was cut: " + cut);
            // what the importer does on an IOException: open it again
            try (InputStream in = src.open(layer)) {
                assertArrayEquals(layout.image().layer().bytes(), in.readAllBytes());
            }
        }
        assertEquals(2, layerRequests[0]);
    }

    @Test
    void blobServerErrorsAfterRetriesNameTheBlob() {
        proxy.rule((i, r) -> isLayer(r) ? new FaultProxy.Status(502, Map.of()) : FaultProxy.PASS);
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(ref(), opts()));
        assertTrue(e.getMessage().contains("blob " + layout.image().layer().digest()) || e.getMessage().contains("@" + layout.image().layer().digest()), e.getMessage());
        assertTrue(e.getMessage().contains("502") && e.getMessage().contains("test/one"), e.getMessage());
    }

    @Test
    void redirectsKeepAuthorizationOnTheRegistryAndNeverSendItElsewhere() throws Exception {
        List<String> storageAuth = new CopyOnWriteArrayList<>();
        Map<String, byte[]> blobs = layout.blobs();
        HttpServer storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        storage.createContext("/blob/", ex -> {
            try (ex) {
                storageAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                byte[] b = blobs.get(ex.getRequestURI().getPath().substring("/blob/".length()));
                ex.sendResponseHeaders(b == null ? 404 : 200, b == null ? -1 : b.length);
                if (b != null) try (OutputStream out = ex.getResponseBody()) {
                    out.write(b);
                }
            }
        });
        storage.start();
        try {
            String layer = layout.image().layer().digest().toString();
            String config = layout.image().config().digest().toString();
            // "localhost" is another host than "127.0.0.1", though the same machine
            String elsewhere = "http://localhost:" + storage.getAddress().getPort() + "/blob/" + layer;
            authProxy.rule((i, r) -> {
                if (r.path().endsWith("/blobs/" + layer)) return new FaultProxy.Redirect(307, elsewhere);
                if (r.path().endsWith("/blobs/" + config)) return new FaultProxy.Redirect(302, r.path() + "?again=1");
                return FaultProxy.PASS;
            });
            TestPull.Result r = TestPull.pull(authProxy.host() + "/private/one:1",
                    opts().withCredentials(USER + ":" + PASS));
            assertArrayEquals(layout.image().layer().bytes(), r.blobs().get(layer));
            assertArrayEquals(layout.image().config().bytes(), r.blobs().get(config));
            assertEquals(List.of("null"), storageAuth, "blob storage on another host gets no Authorization");
            FaultProxy.Request again = authProxy.requests.stream().filter(q -> q.path().endsWith("?again=1")).findFirst().orElseThrow();
            assertNotNull(again.header("Authorization"), "a redirect to the registry itself keeps it");
            assertTrue(again.header("Authorization").startsWith("Basic "));
        } finally {
            storage.stop(0);
        }
    }

    @Test
    void cutBodyWithoutContentLengthIsCaughtByTheDescriptorSize() throws IOException {
        byte[] data = new byte[1000];
        InputStream short_ = new java.io.ByteArrayInputStream(data, 0, 600);
        try (LengthCheckedStream s = new LengthCheckedStream(short_, 1000, "blob x")) {
            IOException e = assertThrows(IOException.class, s::readAllBytes);
            assertInstanceOf(java.io.EOFException.class, e);
            assertTrue(e.getMessage().contains("600 of 1000"), e.getMessage());
        }
        try (LengthCheckedStream s = new LengthCheckedStream(new java.io.ByteArrayInputStream(data), 1000, "blob x")) {
            assertEquals(1000, s.readAllBytes().length);
        }
    }
}
