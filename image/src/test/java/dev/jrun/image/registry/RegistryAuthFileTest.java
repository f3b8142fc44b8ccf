package dev.jrun.image.registry;

import dev.jrun.image.ImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryAuthFileTest {
    @TempDir Path tmp;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private Path file(String json) throws IOException {
        Path p = Files.createTempFile(tmp, "auth", ".json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void keysMatchHostOrNamespaceTheLongestWins() {
        assertEquals(9, AuthFile.matchLength("quay.io:1", "quay.io:1", "a/b"));
        assertEquals(-1, AuthFile.matchLength("quay.io", "quay.io:1", "a/b"));
        assertTrue(AuthFile.matchLength("quay.io/a", "quay.io", "a/b") > AuthFile.matchLength("quay.io", "quay.io", "a/b"));
        assertEquals(-1, AuthFile.matchLength("quay.io/a/bc", "quay.io", "a/b"), "namespaces are whole components");
        assertEquals(-1, AuthFile.matchLength("quay.io/a/b/c", "quay.io", "a/b"));
        assertTrue(AuthFile.matchLength("quay.io/a/b", "quay.io", "a/b") > 0);
        assertEquals("index.docker.io", AuthFile.normalizeKey("https://index.docker.io/v1/"));
        assertEquals("quay.io/a", AuthFile.normalizeKey("quay.io/a"));
        assertTrue(AuthFile.matchLength(AuthFile.normalizeKey("https://index.docker.io/v1/"), "docker.io", "library/busybox") > 0);
        assertTrue(AuthFile.matchLength("registry-1.docker.io", "docker.io", "library/busybox") > 0);
    }

    @Test
    void authFieldOrUsernameAndPassword() throws IOException {
        Path f = file("{\"auths\":{\"a.example\":{\"auth\":\"" + b64("u:p:with:colons") + "\"},"
                + "\"b.example\":{\"username\":\"v\",\"password\":\"q\"},\"c.example\":{}}}");
        Credentials a = AuthFile.lookup(f, "a.example", "x").orElseThrow();
        assertEquals("u", a.username());
        assertEquals("p:with:colons", a.password());
        assertTrue(a.source().contains(f.toString()) && a.source().contains("a.example"), a.source());
        assertEquals("v", AuthFile.lookup(f, "b.example", "x").orElseThrow().username());
        assertEquals(Optional.empty(), AuthFile.lookup(f, "c.example", "x"), "an empty entry without a store is no credentials");
        assertEquals(Optional.empty(), AuthFile.lookup(f, "d.example", "x"));
        assertTrue(!a.toString().contains("p:with"), "toString hides the password");
    }

    @Test
    void theFirstFileWithAnEntryWins() throws IOException {
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve(".config/containers"));
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".config/containers/auth.json"), "{\"auths\":{\"other.example\":{\"auth\":\"" + b64("o:o") + "\"}}}");
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"https://reg.example\":{\"auth\":\"" + b64("d:d") + "\"}}}");
        RegistryOptions o = RegistryOptions.defaults().withEnvironment(Map.of("HOME", home.toString()));
        assertEquals(List.of(home.resolve(".config/containers/auth.json"), home.resolve(".docker/config.json")), AuthFile.candidates(o));
        assertEquals("d", AuthFile.find("reg.example", "x", null, o).orElseThrow().username());
        assertEquals("o", AuthFile.find("other.example", "x", null, o).orElseThrow().username());
        assertEquals(Optional.empty(), AuthFile.find("none.example", "x", null, o));
    }

    @Test
    void malformedFilesAndUnsupportedKindsAreNamed() throws IOException {
        Path bad = file("{not json");
        ImageException e = assertThrows(ImageException.class, () -> AuthFile.lookup(bad, "a", "x"));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        Path b64 = file("{\"auths\":{\"a\":{\"auth\":\"%%%\"}}}");
        assertTrue(assertThrows(ImageException.class, () -> AuthFile.lookup(b64, "a", "x")).getMessage().contains("base64"));
        Path noColon = file("{\"auths\":{\"a\":{\"auth\":\"" + b64("justuser") + "\"}}}");
        assertTrue(assertThrows(ImageException.class, () -> AuthFile.lookup(noColon, "a", "x")).getMessage().contains("USER:PASSWORD"));
        Path token = file("{\"auths\":{\"a\":{\"identitytoken\":\"t\"}}}");
        assertTrue(assertThrows(ImageException.class, () -> AuthFile.lookup(token, "a", "x")).getMessage().contains("identity token"));
        Path helper = file("{\"credHelpers\":{\"https://a\":\"ecr-login\"},\"auths\":{\"a\":{\"auth\":\"" + b64("u:p") + "\"}}}");
        assertTrue(assertThrows(ImageException.class, () -> AuthFile.lookup(helper, "a", "x")).getMessage().contains("docker-credential-ecr-login"));
        // a store, but a real entry for the host: the entry is used
        Path store = file("{\"credsStore\":\"desktop\",\"auths\":{\"a\":{\"auth\":\"" + b64("u:p") + "\"}}}");
        assertEquals("u", AuthFile.lookup(store, "a", "x").orElseThrow().username());
        assertEquals(Optional.empty(), AuthFile.lookup(store, "b", "x"), "a store without an entry for the host: anonymous");
    }

    @Test
    void explicitAuthFileMustExist() {
        ImageException e = assertThrows(ImageException.class,
                () -> AuthFile.find("a", "x", tmp.resolve("missing.json"), RegistryOptions.defaults()));
        assertTrue(e.getMessage().contains("missing.json") && e.getMessage().contains("--authfile"), e.getMessage());
    }

    @Test
    void credsFlagIsUserColonPassword() {
        Credentials c = Credentials.parse("me:pa:ss", "--creds");
        assertEquals("me", c.username());
        assertEquals("pa:ss", c.password());
        assertEquals("Basic " + b64("me:pa:ss"), c.basicAuthorization());
        assertThrows(ImageException.class, () -> Credentials.parse("nopassword", "--creds"));
        assertThrows(ImageException.class, () -> Credentials.parse(":p", "--creds"));
    }
}
