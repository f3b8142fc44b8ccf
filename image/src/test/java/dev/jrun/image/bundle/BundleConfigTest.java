package dev.jrun.image.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.oci.ImageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    private static ObjectNode defaults() throws IOException {
        return (ObjectNode) JSON.readTree("""
                {"ociVersion":"1.3.0","process":{"terminal":false,"user":{"uid":0,"gid":0},"args":["sh"],
                 "env":["PATH=/usr/bin:/bin","TERM=xterm"],"cwd":"/"},
                 "root":{"path":"rootfs","readonly":true},"mounts":[{"destination":"/proc","type":"proc","source":"proc"}]}
                """);
    }

    private static ImageConfig image(ImageConfig.Config c) {
        return new ImageConfig("2026-01-02T03:04:05Z", "someone", "amd64", "linux", null, c, new ImageConfig.RootFs("layers", List.of()));
    }

    @Test
    void theImageConfigIsLaidOverTheDefaultSpec() throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.example.team", "runtime");
        labels.put("org.opencontainers.image.ref.name", "a label may not override the name");
        ImageConfig img = image(new ImageConfig.Config("app", Map.of("80/tcp", Map.of(), "443/tcp", Map.of()),
                List.of("PATH=/opt/bin:/usr/bin", "GREETING=hi"), List.of("/entry", "--flag"), List.of("serve"),
                null, "/srv", labels, "SIGQUIT"));
        Digest md = Digest.sha256("m".getBytes());
        JsonNode spec = JSON.readTree(BundleConfig.build(defaults(), img, new UserResolver.User(1000, 1000, List.of(33), "/home/app"),
                "localhost/app:1", md, List.of(new BundleConfig.VolumeMount("/data", "/b/volumes/data"))));
        assertEquals(List.of("/entry", "--flag", "serve"), strings(spec.at("/process/args")));
        assertEquals(List.of("PATH=/opt/bin:/usr/bin", "TERM=xterm", "GREETING=hi", "HOME=/home/app"), strings(spec.at("/process/env")));
        assertEquals("/srv", spec.at("/process/cwd").asText());
        assertEquals(1000, spec.at("/process/user/uid").asInt());
        assertEquals(List.of("33"), strings(spec.at("/process/user/additionalGids")));
        assertFalse(spec.at("/root/readonly").asBoolean(), "an image rootfs is the bundle's own, writable");
        assertTrue(strings(spec.at("/process/capabilities/bounding")).contains("CAP_SETUID"));
        assertEquals(List.of(), strings(spec.at("/process/capabilities/effective")), "a non-root user holds no capability");
        assertEquals("runtime", spec.at("/annotations/org.example.team").asText());
        assertEquals("localhost/app:1", spec.at("/annotations/org.opencontainers.image.ref.name").asText());
        assertEquals("443/tcp,80/tcp", spec.at("/annotations/org.opencontainers.image.exposedPorts").asText());
        assertEquals("SIGQUIT", spec.at("/annotations/org.opencontainers.image.stopSignal").asText());
        assertEquals(md.toString(), spec.at("/annotations/dev.jrun.image.manifest.digest").asText());
        JsonNode vol = spec.at("/mounts/1");
        assertEquals("/data", vol.get("destination").asText());
        assertEquals("/b/volumes/data", vol.get("source").asText());
        assertEquals("bind", vol.get("type").asText());
    }

    @Test
    void withoutEntrypointOrCmdTheDefaultArgsStay() throws IOException {
        ImageConfig img = image(null);
        assertFalse(BundleConfig.hasCommand(img));
        JsonNode spec = JSON.readTree(BundleConfig.build(defaults(), img, UserResolver.User.ROOT, "x", Digest.sha256(new byte[0]), List.of()));
        assertEquals(List.of("sh"), strings(spec.at("/process/args")));
        assertEquals(BundleConfig.IMAGE_CAPS, strings(spec.at("/process/capabilities/effective")), "root holds the engines' set");
        assertTrue(strings(spec.at("/process/env")).contains("HOME=/root"));
    }

    @Test
    void volumesAreSeededFromTheImageWithoutFollowingLinks() throws IOException {
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        Path data = Files.createDirectories(rootfs.resolve("var/lib/db"));
        Files.writeString(data.resolve("seed"), "from the image");
        Files.setAttribute(data, "unix:mode", 02770);
        Files.setAttribute(data, "unix:uid", 999);
        Files.createSymbolicLink(data.resolve("link"), Path.of("/etc/shadow"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host");
        Files.createSymbolicLink(rootfs.resolve("escape"), outside);

        Map<String, Object> vols = new LinkedHashMap<>();
        vols.put("/var/lib/db/", Map.of());
        vols.put("/escape", Map.of());
        List<BundleConfig.VolumeMount> mounts = ImageVolumes.create(bundle, rootfs, vols);
        assertEquals(2, mounts.size());
        assertEquals("/escape", mounts.get(0).destination());
        Path esc = Path.of(mounts.get(0).source());
        assertEquals(List.of(), Files.list(esc).toList(), "a volume path through a symlink is not seeded");
        assertEquals("/var/lib/db", mounts.get(1).destination());
        Path db = Path.of(mounts.get(1).source());
        assertTrue(db.startsWith(bundle.resolve("volumes")));
        assertEquals("from the image", Files.readString(db.resolve("seed")));
        assertEquals(Path.of("/etc/shadow"), Files.readSymbolicLink(db.resolve("link")));
        assertEquals(02770, (int) Files.getAttribute(db, "unix:mode") & 07777);
        assertEquals(999, Files.getAttribute(db, "unix:uid"));

        assertThrows(ImageException.class, () -> ImageVolumes.create(bundle, rootfs, Map.of("relative", Map.of())));
        assertThrows(ImageException.class, () -> ImageVolumes.create(bundle, rootfs, Map.of("/a/../../b", Map.of())));
        assertThrows(ImageException.class, () -> ImageVolumes.create(bundle, rootfs, Map.of("/", Map.of())));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
