package dev.jrun.cli.it;

import dev.jrun.cli.it.Bundles.Bundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /**
     * A two-platform image: layouts for amd64 and arm64 made by test-images/make-oci-layout
     * (each with a file naming its platform), joined under one image index and pushed whole
     * by skopeo (--all).
     */
    private Path multiPlatformLayout() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path joined = Files.createDirectories(tmp.resolve("multi/blobs/sha256")).getParent().getParent();
        ArrayNode manifests = json.createArrayNode();
        for (String arch : List.of("amd64", "arm64")) {
            Path content = Files.createDirectories(tmp.resolve("content-" + arch));
            Files.writeString(content.resolve("platform"), "linux/" + arch + "\n");
            Path layout = tmp.resolve("layout-" + arch);
            Host.run(Duration.ofMinutes(1), Jrun.repo().resolve("test-images/make-oci-layout").toString(), "--arch", arch,
                    layout.toString(), content.toString()).assertOk();
            try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
                for (Path b : blobs.toList()) Files.copy(b, joined.resolve("blobs/sha256").resolve(b.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            ObjectNode m = (ObjectNode) json.readTree(layout.resolve("index.json").toFile()).get("manifests").get(0);
            m.remove("annotations");
            m.putObject("platform").put("architecture", arch).put("os", "linux");
            manifests.add(m);
        }
        ObjectNode index = json.createObjectNode().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.set("manifests", manifests);
        byte[] ib = json.writeValueAsBytes(index);
        String hex = java.util.HexFormat.of().formatHex(sha256(ib));
        Files.write(joined.resolve("blobs/sha256/" + hex), ib);
        ObjectNode top = json.createObjectNode().put("schemaVersion", 2);
        top.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.index.v1+json")
                .put("digest", "sha256:" + hex).put("size", ib.length)
                .putObject("annotations").put("org.opencontainers.image.ref.name", "latest");
        Files.write(joined.resolve("index.json"), json.writeValueAsBytes(top));
        Files.writeString(joined.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return joined;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMultiPlatformImageIsNarrowedToThePlatformAsked() throws IOException {
        plain.push(multiPlatformLayout(), "test/multi:1", "--dest-tls-verify=false", "--all");
        String ref = plain.host() + "/test/multi:1";
        Path data = tmp.resolve("data");
        image(data, "pull", "-q", "--tls-verify=false", ref).assertOk();
        assertEquals("linux/amd64", image(data, "ls", "--format", "json").assertOk().json().get(0).get("Platform").asText());
        Path arm = tmp.resolve("data-arm");
        image(arm, "pull", "-q", "--tls-verify=false", "--platform", "linux/arm64", ref).assertOk();
        JsonNode listed = image(arm, "ls", "--format", "json").assertOk().json().get(0);
        assertEquals("linux/arm64", listed.get("Platform").asText());
        assertTrue(listed.get("Digest").asText().startsWith("sha256:") && !listed.get("Digest").asText().equals(listed.get("ManifestDigest").asText()),
                "the repo digest is the index's, the manifest the platform's: " + listed);
        image(tmp.resolve("data-none"), "pull", "-q", "--tls-verify=false", "--platform", "linux/s390x", ref)
                .assertError("no image for platform linux/s390x", "linux/amd64, linux/arm64");
        image(tmp.resolve("data-bad"), "pull", "--platform", "amd64", ref).assertError("--platform", "os/arch");
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
