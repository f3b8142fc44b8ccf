package dev.jrun.image.bundle;

import dev.jrun.image.ImageException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserResolverTest {
    @TempDir Path tmp;
    Path rootfs;

    @BeforeEach
    void image() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("rootfs/etc"));
        rootfs = tmp.resolve("rootfs");
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                # a comment
                www:x:33:33:www:/var/www:/usr/sbin/nologin
                app:x:1000:1000::/home/app:/bin/sh
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                www:x:33:app
                app:x:1000:
                video:x:44:app,www
                """);
    }

    @Test
    void namesAndNumbersResolveAsDockerDoes() {
        assertEquals(new UserResolver.User(0, 0, List.of(), "/root"), UserResolver.resolve(rootfs, ""));
        assertEquals(new UserResolver.User(1000, 1000, List.of(33, 44), "/home/app"), UserResolver.resolve(rootfs, "app"));
        assertEquals(new UserResolver.User(1000, 1000, List.of(33, 44), "/home/app"), UserResolver.resolve(rootfs, "1000"));
        assertEquals(new UserResolver.User(33, 44, List.of(), "/var/www"), UserResolver.resolve(rootfs, "www:video"));
        assertEquals(new UserResolver.User(1000, 5, List.of(), "/home/app"), UserResolver.resolve(rootfs, "app:5"));
        assertEquals(new UserResolver.User(4242, 0, List.of(), null), UserResolver.resolve(rootfs, "4242"));
        assertEquals(new UserResolver.User(4242, 4343, List.of(), null), UserResolver.resolve(rootfs, "4242:4343"));
    }

    @Test
    void unknownNamesAreErrorsNamingWhatWasMissing() {
        ImageException e = assertThrows(ImageException.class, () -> UserResolver.resolve(rootfs, "nosuch"));
        assertTrue(e.getMessage().contains("no user \"nosuch\" in the image's /etc/passwd"), e.getMessage());
        e = assertThrows(ImageException.class, () -> UserResolver.resolve(rootfs, "app:nogroup"));
        assertTrue(e.getMessage().contains("no group \"nogroup\""), e.getMessage());
        e = assertThrows(ImageException.class, () -> UserResolver.resolve(rootfs, "99999999999"));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        assertThrows(ImageException.class, () -> UserResolver.resolve(rootfs, ":0"));
    }

    @Test
    void aPasswdSymlinkPointingOutOfTheImageReadsTheImagesOwnFile() throws IOException {
        // /etc/passwd -> /etc/shadow-ish absolute link and a ../../ chain: both resolve inside the rootfs.
        Path host = Files.writeString(tmp.resolve("host-passwd"), "evil:x:0:0::/:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../../../../" + host));
        ImageException e = assertThrows(ImageException.class, () -> UserResolver.resolve(rootfs, "evil"));
        assertTrue(e.getMessage().contains("no user \"evil\""), e.getMessage());
        Files.createDirectories(rootfs.resolve(host.getParent().toString().substring(1)));
        Files.writeString(rootfs.resolve(host.toString().substring(1)), "inside:x:7:7::/in:/bin/sh\n");
        assertEquals(7, UserResolver.resolve(rootfs, "inside").uid(), "the link was followed inside the rootfs");
    }

    @Test
    void aPasswdThatIsNotARegularFileIsRefusedUnread() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        dev.jrun.linux.Libc.mkfifo(rootfs.resolve("etc/passwd").toString(), 0644); // opening it for reading would block
        ImageException e = assertThrows(ImageException.class, () -> UserResolver.resolve(rootfs, "app"));
        assertTrue(e.getMessage().contains("/etc/passwd in the image is not a regular file"), e.getMessage());
    }

    @Test
    void anImageWithoutPasswdStillRunsNumericUsers() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));
        assertEquals(new UserResolver.User(0, 0, List.of(), "/root"), UserResolver.resolve(rootfs, null));
        assertEquals(new UserResolver.User(12, 13, List.of(), null), UserResolver.resolve(rootfs, "12:13"));
    }
}
