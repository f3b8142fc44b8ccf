package dev.jrun.image.layer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class TarIndexTest {
    @Test
    void membersPointAtTheirDataWhateverHeadersComeBefore() throws IOException {
        String longName = "blobs/sha256/" + "a".repeat(120);
        byte[] tar = new TarWriter()
                .file("./manifest.json", "[{}]")
                .dir("blobs")
                .paxText("path", longName)
                .file("ignored-by-pax", "layer bytes")
                .gnuLong('L', "gnu/" + "b".repeat(110))
                .file("short", "gnu long name data")
                .finish();
        Map<String, TarIndex.Member> m = TarIndex.of(new ByteArrayInputStream(tar));
        assertEquals(3, m.size(), m.toString());
        assertFalse(m.containsKey("blobs"), "directories are not members with data");
        assertEquals("[{}]", at(tar, m.get("manifest.json")));
        assertEquals("layer bytes", at(tar, m.get(longName)));
        assertEquals("gnu long name data", at(tar, m.get("gnu/" + "b".repeat(110))));
    }

    private static String at(byte[] tar, TarIndex.Member member) {
        return new String(Arrays.copyOfRange(tar, (int) member.offset(), (int) (member.offset() + member.size())), StandardCharsets.UTF_8);
    }
}
