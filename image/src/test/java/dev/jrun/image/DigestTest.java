package dev.jrun.image;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestTest {
    @Test
    void sha256OfKnownContent() {
        // sha256("abc"), FIPS 180-2 test vector
        assertEquals("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)).toString());
    }

    @Test
    void parsesAndRoundTrips() {
        String s = "sha256:" + "a".repeat(64);
        assertEquals(s, Digest.parse(s).toString());
        assertEquals("aaaaaaaaaaaa", Digest.parse(s).shortHex());
    }

    @Test
    void refusesWhatCouldBecomeAPath() {
        for (String bad : new String[] {"sha256:../../etc/passwd", "sha256:" + "A".repeat(64), "sha256:" + "a".repeat(63),
                "md5:" + "a".repeat(32), "nocolon", ":abc", "sha256:" + "a".repeat(64) + "/x"}) {
            ImageException e = assertThrows(ImageException.class, () -> Digest.parse(bad), bad);
            assertTrue(e.getMessage().contains("digest") || e.getMessage().contains("algorithm"), e.getMessage());
        }
    }
}
