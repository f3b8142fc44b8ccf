package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.cli.it.Bundles.Bundle;
import dev.jrun.cli.it.Jrun.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `jrun image` end to end with real image files: the busybox OCI layout from test-images/, its
 * docker-archive made by skopeo, a layout written by umoci; imported, listed, inspected, unpacked
 * (overlay and copy), run, removed; and the failure paths: corrupt blobs, hostile layers, bad
 * bundle directories, each leaving the store and the host as they were.
 */
class ImageCommandsTest extends ContainerTestSupport {
    private Path data;

    @BeforeEach
    void dataRoot() {
        data = tmp.resolve("data");
    }

    private Result image(String... args) {
        String[] full = Stream.concat(Stream.of("--data-root", data.toString(), "image"), Stream.of(args)).toArray(String[]::new);
        return jrun.callWithin(Duration.ofMinutes(3), full);
    }

    /** Unpacks REF into a new bundle dir, registers the unmount for cleanup, and adopts it. */
    private Bundle unpack(String ref, String dirName, String... flags) {
        Path dir = tmp.resolve(dirName);
        String[] args = Stream.concat(Stream.of("unpack", ref, dir.toString()), Stream.of(flags)).toArray(String[]::new);
        image(args).assertOk();
        onCleanup(() -> {
            if (Files.exists(dir.resolve(".jrun"))) image("unmount", dir.toString());
        });
        return adopt(dir);
    }

    @Test
    void importListInspectUnpackRunRemove() throws IOException {
        Result imp = image("import", TestImages.busyboxLayout().toString(), "--name", "localhost/busybox");
        imp.assertOk();
        assertTrue(imp.out().startsWith("localhost/busybox:latest "), imp.out());

        String table = image("ls").assertOk().out();
        assertTrue(table.startsWith("REPOSITORY"), table);
        assertTrue(table.contains("localhost/busybox") && table.contains("latest"), table);
        JsonNode list = image("ls", "--format", "json").assertOk().json();
        assertEquals(1, list.size());
        assertEquals("localhost/busybox:latest", list.get(0).get("Name").asText());
        assertEquals("linux/amd64", list.get(0).get("Platform").asText());
        JsonNode inspect = image("inspect", "localhost/busybox").assertOk().json();
        assertEquals(List.of("sh"), List.of(inspect.get(0).at("/Config/config/Cmd/0").asText()));
        String id = list.get(0).get("Id").asText();
        assertEquals(id, image("inspect", id.substring(7, 19)).assertOk().json().get(0).get("Id").asText(), "found by short id");

        Bundle b = unpack("localhost/busybox", "bundle");
        assertTrue(Host.mountsMentioning(b.rootfs().toString()).stream().anyMatch(l -> l.contains("overlay")),
                "the rootfs is an overlay mount");
        assertEquals(List.of("sh"), List.of(b.process().get("args").get(0).asText()));
        assertEquals("localhost/busybox:latest", b.config.at("/annotations/org.opencontainers.image.ref.name").asText());
        b.process().put("terminal", false);
        assertEquals("hello from an image\n", shOut(b, "echo hello from an image > /tmp/x; cat /tmp/x"));
        assertTrue(Files.exists(b.dir.resolve(".jrun/upper/tmp/x")), "the container wrote to the bundle's upper dir");

        image("unmount", b.dir.toString()).assertOk();
        assertTrue(Host.mountsMentioning(b.rootfs().toString()).isEmpty());
        image("rm", "localhost/busybox").assertOk();
        assertEquals(0, image("ls", "--format", "json").assertOk().json().size());
        image("prune").assertOk();
        assertEquals(List.of(), filesUnder(data.resolve("blobs")), "rm and prune leave no blob");
        assertEquals(List.of(), filesUnder(data.resolve("snapshots")), "nor a snapshot");
    }

    @Test
    void aCopiedBundleRunsWithoutAnyMount() {
        image("import", TestImages.busyboxLayout().toString(), "--name", "bb").assertOk();
        Bundle b = unpack("bb", "bundle", "--copy");
        assertTrue(Host.mountsMentioning(b.dir.toString()).isEmpty(), "--copy mounts nothing");
        assertFalse(Files.exists(b.dir.resolve(".jrun")));
        assertEquals("ok\n", shOut(b, "test -x /bin/busybox && echo ok"));
    }

    @Test
    void aDockerArchiveKeepsItsFullReference() {
        Result r = image("import", TestImages.busyboxDockerArchive().toString());
        r.assertOk();
        assertTrue(r.out().startsWith("docker.io/library/busybox:latest "), r.out());
        Bundle b = unpack("busybox", "bundle");
        assertEquals("archive\n", shOut(b, "echo archive"));
    }

    @Test
    void aZstdLayerWrittenBySkopeoRuns() throws IOException {
        Path zstd = tmp.resolve("zstd-layout");
        Host.run(Duration.ofMinutes(2), "skopeo", "copy", "--quiet", "--dest-compress-format", "zstd",
                "oci:" + TestImages.busyboxLayout() + ":latest", "oci:" + zstd + ":latest").assertOk();
        String manifest = Files.readString(zstd.resolve("index.json"));
        image("import", zstd.toString(), "--name", "localhost/bb-zstd").assertOk();
        JsonNode m = image("inspect", "localhost/bb-zstd").assertOk().json().get(0).get("Manifest");
        assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", m.at("/layers/0/mediaType").asText(), manifest);
        assertEquals("zstd\n", shOut(unpack("localhost/bb-zstd", "bundle"), "echo zstd"));
        assertEquals("zstd copy\n", shOut(unpack("localhost/bb-zstd", "copy", "--copy"), "echo zstd copy"));
    }

    @Test
    void aLayoutWrittenByUmociRuns() {
        image("import", TestImages.umociBusybox().toString(), "--name", "localhost/umoci-bb").assertOk();
        JsonNode list = image("ls", "--format", "json").assertOk().json();
        String name = list.get(0).get("Name").asText();
        Bundle b = unpack(name, "bundle");
        assertEquals("umoci\n", shOut(b, "echo umoci"));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // the first build of the Debian image (mmdebstrap) takes a minute or more
    void aDebianImageServesNginxToItsOwnCurl() {
        image("import", TestImages.debianNginx().toString(), "--name", "localhost/debian-nginx").assertOk();
        Bundle b = unpack("localhost/debian-nginx", "bundle");
        assertEquals(List.of("nginx", "-g", "daemon off;"), List.of(b.process().get("args").get(0).asText(),
                b.process().get("args").get(1).asText(), b.process().get("args").get(2).asText()));
        assertEquals("80/tcp", b.config.at("/annotations/org.opencontainers.image.exposedPorts").asText());
        // nginx in the background on the container's own loopback, then curl from the same image
        String out = shOut(b, "nginx && curl -sS http://127.0.0.1/ | grep -o -m1 'Welcome to nginx!'; nginx -s quit");
        assertEquals("Welcome to nginx!\n", out);
    }

    @Test
    void theImageConfigDrivesTheProcess() {
        Path layout = TestImages.copyOf(TestImages.busyboxLayout(), tmp.resolve("layout"));
        Host.run(Duration.ofMinutes(1), "umoci", "config", "--image", layout + ":latest",
                "--config.user", "nobody", "--config.workingdir", "/tmp", "--config.env", "GREETING=from-config",
                "--config.entrypoint", "sh", "--config.cmd", "-c", "--config.cmd", "echo $(id -u):$(id -g) $PWD $GREETING",
                "--config.label", "org.example.team=runtime").assertOk();
        image("import", layout.toString(), "--name", "localhost/configured").assertOk();
        Bundle b = unpack("localhost/configured", "bundle");
        assertEquals("runtime", b.config.at("/annotations/org.example.team").asText());
        assertEquals("65534:65534 /tmp from-config\n", runFg(b).assertOk().out());
    }

    @Test
    void aCorruptBlobIsRefusedAndNothingIsStored() throws IOException {
        Path layout = TestImages.copyOf(TestImages.busyboxLayout(), tmp.resolve("layout"));
        String layer = new LayoutEditor(layout).corruptFirstLayer();
        image("import", layout.toString(), "--name", "localhost/corrupt").assertError("digest mismatch", layer, "localhost/corrupt");
        assertEquals(0, image("ls", "--format", "json").assertOk().json().size());
        assertEquals(List.of(), filesUnder(data.resolve("tmp")), "no partial blob left");
        assertFalse(Files.exists(data.resolve("blobs/sha256/" + layer.substring(7))), "the bad layer is not stored");
        // the store stays usable
        image("import", TestImages.busyboxLayout().toString(), "--name", "localhost/good").assertOk();
    }

    @Test
    void aHostileLayerFailsTheUnpackAndTouchesNothingOutside() throws IOException {
        String marker = "jrun-escape-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path layout = TestImages.copyOf(TestImages.busyboxLayout(), tmp.resolve("layout"));
        new LayoutEditor(layout).addLayer(new LayoutEditor.Tar()
                .file("ok-file", "fine")
                .file("../../../../../../tmp/" + marker, "escaped"));
        image("import", layout.toString(), "--name", "localhost/hostile").assertOk();
        Path dir = tmp.resolve("bundle");
        image("unpack", "localhost/hostile", dir.toString()).assertError("localhost/hostile", "layer 2/2", marker);
        assertFalse(Files.exists(Path.of("/tmp", marker)), "nothing was written outside the bundle");
        assertFalse(Files.exists(dir), "the failed bundle is removed");
        assertTrue(Host.mountsMentioning(dir.toString()).isEmpty());
        image("unpack", "localhost/hostile", dir.toString(), "--copy").assertError("layer 2/2", marker);
        assertFalse(Files.exists(dir));
        assertFalse(Files.exists(Path.of("/tmp", marker)));
    }

    @Test
    void aSymlinkSwapInALayerStaysInsideTheRoot() throws IOException {
        String marker = "jrun-swap-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path layout = TestImages.copyOf(TestImages.busyboxLayout(), tmp.resolve("layout"));
        new LayoutEditor(layout).addLayer(new LayoutEditor.Tar()
                .dir("evil")
                .symlink("evil", "/tmp")
                .file("evil/" + marker, "through the link"));
        image("import", layout.toString(), "--name", "localhost/swap").assertOk();
        Bundle b = unpack("localhost/swap", "bundle", "--copy");
        assertFalse(Files.exists(Path.of("/tmp", marker)), "the host's /tmp was not written");
        assertEquals("through the link", Files.readString(b.rootfs().resolve("tmp/" + marker)),
                "the link resolved inside the rootfs");
    }

    @Test
    void badUnpackTargetsAndNamesFailClearly() throws IOException {
        image("unpack", "localhost/none", tmp.resolve("b").toString()).assertError("\"localhost/none\"", "not in the store");
        assertFalse(Files.exists(tmp.resolve("b")));
        image("import", TestImages.busyboxLayout().toString(), "--name", "bb").assertOk();
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("keep"), "user data");
        image("unpack", "bb", full.toString()).assertError("not empty");
        assertEquals("user data", Files.readString(full.resolve("keep")), "an existing directory is left as it was");
        image("import", tmp.resolve("missing").toString()).assertError("does not exist");
        image("import", TestImages.busyboxLayout().toString(), "--name", "Bad Name").assertError("--name", "Bad Name");
        image("rm", "localhost/none").assertError("not in the store");
        image("nosuch").assertError("image nosuch");
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p)).toList();
        }
    }
}
