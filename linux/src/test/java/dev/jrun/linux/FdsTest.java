package dev.jrun.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FdsTest {

    @Test
    void pipeRoundTrip() {
        int[] p = Fds.pipe(Fds.O_CLOEXEC);
        try {
            assertNotEquals(p[0], p[1]);
            Fds.writeAll(p[1], "hello, pipe");
            Fds.close(p[1]);
            assertEquals("hello, pipe", TestIo.readAll(p[0]));
        } finally {
            Fds.closeQuietly(p[0]);
        }
    }

    @Test
    void pipeCarriesMoreThanOneReadBuffer() {
        int[] p = Fds.pipe(Fds.O_CLOEXEC);
        byte[] data = new byte[40_000]; // below the 64 KiB pipe buffer: writeAll does not block
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
        try {
            Fds.writeAll(p[1], data);
            Fds.close(p[1]);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] chunk;
            while ((chunk = Fds.read(p[0], 1000)).length > 0) {
                assertTrue(chunk.length <= 1000);
                got.writeBytes(chunk);
            }
            assertArrayEquals(data, got.toByteArray());
        } finally {
            Fds.closeQuietly(p[0]);
        }
    }

    @Test
    void pipeHonoursCloexecFlag() {
        int[] withFlag = Fds.pipe(Fds.O_CLOEXEC);
        int[] without = Fds.pipe(0);
        try {
            assertEquals(Fds.FD_CLOEXEC, Fds.fcntl(withFlag[0], Fds.F_GETFD, 0) & Fds.FD_CLOEXEC);
            assertEquals(0, Fds.fcntl(without[0], Fds.F_GETFD, 0) & Fds.FD_CLOEXEC);
        } finally {
            for (int fd : new int[] {withFlag[0], withFlag[1], without[0], without[1]}) Fds.closeQuietly(fd);
        }
    }

    @Test
    void socketPairRoundTripBothWays() {
        int[] s = Fds.socketPair();
        try {
            Fds.writeAll(s[0], "ping");
            assertEquals("ping", new String(Fds.read(s[1], 100), StandardCharsets.UTF_8));
            Fds.writeAll(s[1], "pong\u00e9");
            assertEquals("pong\u00e9", new String(Fds.read(s[0], 100), StandardCharsets.UTF_8));
            Fds.close(s[1]);
            assertEquals(0, Fds.read(s[0], 100).length, "end of file once the peer is closed");
        } finally {
            Fds.closeQuietly(s[0]);
        }
    }

    @Test
    void openOfMissingPathThrowsEnoentNamingThePath(@TempDir Path dir) {
        String missing = dir.resolve("does-not-exist").toString();
        LinuxException e = assertThrows(LinuxException.class, () -> Fds.open(missing, Fds.O_RDONLY | Fds.O_CLOEXEC, 0));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open", e.call());
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
    }

    @Test
    void openCreateWriteAndReadBack(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("f");
        int fd = Fds.open(f.toString(), Fds.O_WRONLY | Fds.O_CREAT | Fds.O_EXCL | Fds.O_CLOEXEC, 0600);
        try {
            Fds.writeAll(fd, "content");
        } finally {
            Fds.close(fd);
        }
        assertEquals("content", Files.readString(f));
        LinuxException e = assertThrows(LinuxException.class,
                () -> Fds.open(f.toString(), Fds.O_WRONLY | Fds.O_CREAT | Fds.O_EXCL | Fds.O_CLOEXEC, 0600));
        assertEquals(Errno.EEXIST, e.errno());
    }

    @Test
    void closeOfABadFdThrowsEbadf() {
        LinuxException e = assertThrows(LinuxException.class, () -> Fds.close(999_999));
        assertEquals(Errno.EBADF, e.errno());
        Fds.closeQuietly(999_999); // and the quiet variant does not throw
    }

    @Test
    void dup3PlacesTheFdWhereAsked() {
        int[] p = Fds.pipe(Fds.O_CLOEXEC);
        int target = 900;
        try {
            assertEquals(target, Fds.dup3(p[1], target, Fds.O_CLOEXEC));
            Fds.close(p[1]);
            Fds.writeAll(target, "via dup");
            Fds.close(target);
            assertEquals("via dup", TestIo.readAll(p[0]));
        } finally {
            Fds.closeQuietly(p[0]);
            Fds.closeQuietly(target);
        }
    }
}
