package dev.jrun.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageRefTest {
    @Test
    void normalizesLikeDocker() {
        assertEquals("docker.io/library/busybox:latest", ImageRef.parse("busybox").toString());
        assertEquals("docker.io/library/busybox:1.36", ImageRef.parse("busybox:1.36").toString());
        assertEquals("docker.io/me/app:latest", ImageRef.parse("me/app").toString());
        assertEquals("quay.io/a/b/c:v1", ImageRef.parse("quay.io/a/b/c:v1").toString());
    }

    @Test
    void registryHostWithPort() {
        ImageRef r = ImageRef.parse("127.0.0.1:5000/test/img:t");
        assertEquals("127.0.0.1:5000", r.registry());
        assertEquals("test/img", r.repository());
        assertEquals("t", r.tag());
        ImageRef l = ImageRef.parse("localhost/img");
        assertEquals("localhost", l.registry());
        assertEquals("latest", l.tag());
    }

    @Test
    void digestReferences() {
        String d = "sha256:" + "b".repeat(64);
        ImageRef r = ImageRef.parse("localhost:5000/img@" + d);
        assertNull(r.tag());
        assertEquals(d, r.manifestReference());
        ImageRef both = ImageRef.parse("img:1@" + d);
        assertEquals("1", both.tag());
        assertEquals(d, both.manifestReference(), "the digest wins when both are given");
    }

    @Test
    void badReferencesNameWhatIsWrong() {
        assertTrue(assertThrows(ImageException.class, () -> ImageRef.parse("Busybox")).getMessage().contains("Busybox"));
        assertTrue(assertThrows(ImageException.class, () -> ImageRef.parse("img:bad tag")).getMessage().contains("bad tag"));
        assertTrue(assertThrows(ImageException.class, () -> ImageRef.parse("img@sha256:xyz")).getMessage().contains("img@sha256:xyz"));
        assertThrows(ImageException.class, () -> ImageRef.parse(""));
        assertThrows(ImageException.class, () -> ImageRef.parse("a//b"));
    }
}
