package dev.jrun.cli.it;

import dev.jrun.cli.it.Bundles.Bundle;
import dev.jrun.cli.it.Jrun.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `jrun image pull` from Debian's docker-registry on 127.0.0.1: once plain HTTP, once with TLS
 * (a CA the test makes) and htpasswd auth; images pushed there by skopeo.
 */
class ImagePullTest extends ContainerTestSupport {
    private static final String USER = "jrunner", PASS = "s3cret-pass";
    private static Registry plain, secure;

    /** One registry started by test-images/registry, stopped by pid at the end. */
    record Registry(Path dir, int port, Path ca) {
        String host() {
            return "127.0.0.1:" + port;
        }

        static Registry start(Path dir, String... flags) {
            List<String> cmd = new ArrayList<>(List.of("bash", Jrun.repo().resolve("test-images/registry").toString(), "start", dir.toString()));
            cmd.addAll(List.of(flags));
            Host.Cmd r = Host.run(Duration.ofMinutes(5), cmd.toArray(String[]::new)).assertOk();
            Map<String, String> kv = new HashMap<>();
            for (String line : r.out().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
            String ca = kv.get("ca");
            return new Registry(dir, Integer.parseInt(kv.get("port")), ca == null || ca.isEmpty() ? null : Path.of(ca));
        }

        void stop() {
            Host.run(Duration.ofMinutes(1), "bash", Jrun.repo().resolve("test-images/registry").toString(), "stop", dir.toString());
        }

        void push(Path layout, String repoTag, String... flags) {
            List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
            cmd.addAll(List.of(flags));
            cmd.add("oci:" + layout + ":latest");
            cmd.add("docker://" + host() + "/" + repoTag);
            Host.run(Duration.ofMinutes(3), cmd.toArray(String[]::new)).assertOk();
        }
    }

    @BeforeAll
    static void registries() throws IOException {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "jrun-registries-");
        plain = Registry.start(base.resolve("plain"));
        plain.push(TestImages.busyboxLayout(), "test/busybox:1", "--dest-tls-verify=false");
        secure = Registry.start(base.resolve("secure"), "--tls", "--htpasswd", USER + ":" + PASS);
        secure.push(TestImages.busyboxLayout(), "private/busybox:1",
                "--dest-cert-dir", secure.ca().getParent().toString(), "--dest-creds", USER + ":" + PASS);
    }

    @AfterAll
    static void stopRegistries() {
        if (plain != null) plain.stop();
        if (secure != null) secure.stop();
    }

    private Result image(Path data, String... args) {
        String[] full = Stream.concat(Stream.of("--data-root", data.toString(), "image"), Stream.of(args)).toArray(String[]::new);
        return jrun.callWithin(Duration.ofMinutes(3), full);
    }

    @Test
    void pullsOverPlainHttpOnlyWhenAskedAndRuns() {
        Path data = tmp.resolve("data");
        String ref = plain.host() + "/test/busybox:1";
        image(data, "pull", ref).assertError(plain.host());
        Result r = image(data, "pull", ref, "--tls-verify=false");
        r.assertOk();
        assertTrue(r.out().trim().matches("[0-9a-f]{64}"), "prints the image id: " + r.out());
        assertTrue(r.err().contains("sha256:"), "progress names the blobs: " + r.err());
        Path dir = tmp.resolve("bundle");
        image(data, "unpack", ref, dir.toString(), "--copy").assertOk();
        Bundle b = adopt(dir);
        assertEquals("pulled\n", shOut(b, "echo pulled"));
        // a second pull finds every blob in the store
        image(data, "pull", ref, "--tls-verify=false").assertOk();
    }

    @Test
    void pullsOverTlsWithTheRegistrysCaAndCredentials() throws IOException {
        Path data = tmp.resolve("data");
        String ref = secure.host() + "/private/busybox:1";
        String certDir = secure.ca().getParent().toString();
        image(data, "pull", ref, "--cert-dir", certDir).assertError("401", secure.host());
        image(data, "pull", ref, "--cert-dir", certDir, "--creds", USER + ":wrong").assertError("401");
        image(data, "pull", ref, "--creds", USER + ":" + PASS).assertError(secure.host()); // CA unknown
        Path auth = tmp.resolve("auth.json");
        String basic = Base64.getEncoder().encodeToString((USER + ":" + PASS).getBytes());
        Files.writeString(auth, "{\"auths\":{\"" + secure.host() + "\":{\"auth\":\"" + basic + "\"}}}");
        image(data, "pull", ref, "--cert-dir", certDir, "--authfile", auth.toString()).assertOk();
        assertEquals(1, image(data, "ls", "--format", "json").assertOk().json().size());
        assertFalse(Files.list(data.resolve("tmp")).findAny().isPresent(), "failed pulls left nothing in tmp");
    }

    @Test
    void missingImagesAreNamed() {
        Path data = tmp.resolve("data");
        image(data, "pull", plain.host() + "/test/busybox:nosuchtag", "--tls-verify=false").assertError("nosuchtag");
        image(data, "pull", plain.host() + "/nosuch/repo:1", "--tls-verify=false").assertError("nosuch/repo");
        image(data, "pull", "127.0.0.1:1/x:1", "--tls-verify=false").assertError("127.0.0.1:1");
    }

    @Test
    void parallelPullsOfOneImageAllSucceed() throws Exception {
        Path data = tmp.resolve("data");
        String ref = plain.host() + "/test/busybox:1";
        List<Future<Result>> fs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            for (int i = 0; i < 3; i++) fs.add(pool.submit(() -> image(data, "pull", ref, "--tls-verify=false", "-q")));
            for (Future<Result> f : fs) f.get().assertOk();
        }
        assertEquals(1, image(data, "ls", "--format", "json").assertOk().json().size());
    }
}
