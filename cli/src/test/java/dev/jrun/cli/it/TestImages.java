package dev.jrun.cli.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The test images of test-images/, built once per machine into .cache/test-images (git-ignored). */
final class TestImages {
    private TestImages() {}

    private static Path busybox, busyboxArchive, umoci, debian;

    /** The busybox OCI layout (one gzip layer, ref.name "latest", Cmd ["sh"]). */
    static synchronized Path busyboxLayout() {
        if (busybox == null) busybox = build("busybox-oci.sh", "busybox-oci", Duration.ofMinutes(3));
        return busybox;
    }

    /** The busybox image as a docker-archive tarball (`docker save` shape), tagged busybox:latest. */
    static synchronized Path busyboxDockerArchive() {
        if (busyboxArchive == null) {
            Path out = cache().resolve("busybox-docker-archive.tar");
            if (!Files.exists(out)) {
                Path part = cache().resolve("busybox-docker-archive.tar.part");
                Host.run("rm", "-f", part.toString());
                Host.run(Duration.ofMinutes(2), "skopeo", "copy", "--quiet", "oci:" + busyboxLayout() + ":latest",
                        "docker-archive:" + part + ":busybox:latest").assertOk();
                Host.run("mv", part.toString(), out.toString()).assertOk();
            }
            busyboxArchive = out;
        }
        return busyboxArchive;
    }

    /** The busybox content in a layout written by umoci. */
    static synchronized Path umociBusybox() {
        if (umoci == null) umoci = build("umoci-busybox.sh", "umoci-busybox", Duration.ofMinutes(3));
        return umoci;
    }

    /** Debian bookworm minbase with nginx-light and curl (mmdebstrap; minutes when cold). */
    static synchronized Path debianNginx() {
        if (debian == null) debian = build("debian-nginx.sh", "debian-nginx", Duration.ofMinutes(15));
        return debian;
    }

    static Path cache() {
        try {
            return Files.createDirectories(Jrun.repo().resolve(".cache/test-images"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path build(String script, String dir, Duration timeout) {
        Path out = cache().resolve(dir);
        Host.Cmd r = Host.run(timeout, "bash", Jrun.repo().resolve("test-images/" + script).toString(), out.toString());
        if (r.exit() != 0) throw new AssertionError("cannot build test image " + script + ": " + r);
        return out;
    }

    /** A private copy of a layout the test may change. */
    static Path copyOf(Path layout, Path to) {
        Host.run(Duration.ofMinutes(1), "cp", "-a", layout.toString(), to.toString()).assertOk();
        return to;
    }
}
