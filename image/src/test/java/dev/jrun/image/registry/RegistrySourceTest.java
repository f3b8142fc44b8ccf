package dev.jrun.image.registry;

import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageRef;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageSource;
import dev.jrun.image.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pulls from Debian's docker-registry on 127.0.0.1, once over plain HTTP and once over TLS with
 * a CA made for the test, content pushed there by skopeo from layouts the test wrote.
 */
class RegistrySourceTest {
    private static TestRegistry plain, tls;
    private static TestLayout.Layout single, multi;
    private static Path work;

    @TempDir Path tmp;

    @BeforeAll
    static void registries() throws IOException {
        work = Files.createTempDirectory("jrun-registry-source-test-");
        single = TestLayout.single(work.resolve("single"), "single", 300_000);
        multi = TestLayout.multiPlatform(work.resolve("multi"), "multi");
        plain = TestRegistry.start();
        plain.push(single.dir(), "test/one:1");
        plain.push(multi.dir(), "test/multi:1", "--all");
        plain.push(single.dir(), "test/docker:1", "--format", "v2s2");
        tls = TestRegistry.start("--tls");
        tls.push(single.dir(), "secure/one:1");
    }

    @AfterAll
    static void stop() throws Exception {
        TestRegistry.closeAll(work, plain, tls);
    }

    /** Options that read no file of this machine's user: HOME is the test's, no certs.d. */
    private RegistryOptions opts() {
        return RegistryOptions.defaults().withEnvironment(Map.of("HOME", tmp.toString()))
                .withCertsRoots(List.of()).withRetries(3, Duration.ofMillis(10));
    }

    private static void assertHasAll(TestLayout.Layout layout, TestPull.Result r) {
        for (Map.Entry<String, byte[]> e : layout.blobs().entrySet())
            assertArrayEquals(e.getValue(), r.blobs().get(e.getKey()), "blob " + e.getKey());
        assertEquals(layout.blobs().keySet(), r.blobs().keySet());
    }

    @Test
    void pullsOverPlainHttpWhenTlsVerifyIsFalse() throws Exception {
        String ref = plain.host() + "/test/one:1";
        TestPull.Result r = TestPull.pull(ref, opts().withTlsVerify(false));
        assertEquals(ref, r.entry().name());
        Descriptor root = r.entry().descriptor();
        assertEquals(single.image().manifest().descriptor().digest(), root.digest());
        assertEquals(MediaTypes.OCI_MANIFEST, root.mediaType());
        assertEquals(single.image().manifest().bytes().length, root.size());
        assertHasAll(single, r);
    }

    @Test
    void refusesPlainHttpByDefaultAndSaysHowToAllowIt() {
        for (Boolean verify : new Boolean[] {null, true}) {
            ImageException e = assertThrows(ImageException.class,
                    () -> TestPull.pull(plain.host() + "/test/one:1", opts().withTlsVerify(verify)));
            assertTrue(e.getMessage().contains(plain.host()), e.getMessage());
            assertTrue(e.getMessage().contains("does not speak HTTPS"), e.getMessage());
            assertTrue(e.getMessage().contains("--tls-verify=false"), e.getMessage());
        }
    }

    @Test
    void pullsByDigestAndOpensTheRootWithoutFetchingAgain() throws Exception {
        Digest d = single.image().manifest().digest();
        String ref = plain.host() + "/test/one@" + d;
        try (RegistrySource src = new RegistrySource(ImageRef.parse(ref), opts().withTlsVerify(false))) {
            ImageSource.Entry e = src.entries().get(0);
            assertEquals(d.toString(), e.descriptor().digest());
            assertEquals(src.entries(), List.of(e), "entries() is stable");
            assertArrayEquals(single.image().manifest().bytes(), TestPull.read(src, e.descriptor()));
        }
    }

    @Test
    void unknownTagRepositoryAndBlobAreNamed() {
        RegistryOptions o = opts().withTlsVerify(false);
        ImageException tag = assertThrows(ImageException.class, () -> TestPull.pull(plain.host() + "/test/one:nosuchtag", o));
        assertTrue(tag.getMessage().contains("tag \"nosuchtag\" not found in repository test/one on registry " + plain.host()), tag.getMessage());
        assertTrue(tag.getMessage().contains("404") && tag.getMessage().contains("MANIFEST_UNKNOWN"), tag.getMessage());

        ImageException repo = assertThrows(ImageException.class, () -> TestPull.pull(plain.host() + "/nosuch/repo:1", o));
        assertTrue(repo.getMessage().contains("nosuch/repo") && repo.getMessage().contains(plain.host()), repo.getMessage());
        assertTrue(repo.getMessage().contains("404"), repo.getMessage());

        Digest missing = Digest.sha256(new byte[] {42});
        ImageException blob = assertThrows(ImageException.class, () -> {
            try (RegistrySource src = new RegistrySource(ImageRef.parse(plain.host() + "/test/one:1"), o);
                 InputStream in = src.open(new Descriptor(MediaTypes.OCI_LAYER_GZIP, missing, 1))) {
                in.readAllBytes();
            }
        });
        assertTrue(blob.getMessage().contains("blob " + missing) && blob.getMessage().contains("test/one"), blob.getMessage());
        assertTrue(blob.getMessage().contains("404") && blob.getMessage().contains("BLOB_UNKNOWN"), blob.getMessage());
    }

    @Test
    void connectionRefusedNamesHostAndPort() {
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull("127.0.0.1:1/x:1", opts().withTlsVerify(false)));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
    }

    @Test
    void multiPlatformIndexIsTheEntryAndItsManifestsOpen() throws Exception {
        String ref = plain.host() + "/test/multi:1";
        TestPull.Result r = TestPull.pull(ref, opts().withTlsVerify(false));
        assertEquals(MediaTypes.OCI_INDEX, r.entry().descriptor().mediaType());
        assertEquals(multi.index().digest().toString(), r.entry().descriptor().digest());
        assertHasAll(multi, r);

        // one platform's manifest by digest: that manifest is the entry
        TestLayout.Image arm = multi.images().get(1);
        TestPull.Result one = TestPull.pull(plain.host() + "/test/multi@" + arm.manifest().digest(), opts().withTlsVerify(false));
        assertEquals(MediaTypes.OCI_MANIFEST, one.entry().descriptor().mediaType());
        assertArrayEquals(arm.layer().bytes(), one.blobs().get(arm.layer().digest().toString()));
    }

    @Test
    void dockerSchema2ManifestsComeWithTheirMediaType() throws Exception {
        TestPull.Result r = TestPull.pull(plain.host() + "/test/docker:1", opts().withTlsVerify(false));
        assertEquals(MediaTypes.DOCKER_MANIFEST, r.entry().descriptor().mediaType());
        assertArrayEquals(single.image().layer().bytes(), r.blobs().get(single.image().layer().digest().toString()));
    }

    @Test
    void tlsWithTheRegistrysCaFromCertDir() throws Exception {
        TestPull.Result r = TestPull.pull(tls.host() + "/secure/one:1", opts().withCertDir(tls.certDir()));
        assertHasAll(single, r);
    }

    @Test
    void tlsWithTheCaInAPerHostCertsFolder() throws Exception {
        Path roots = tmp.resolve("certs.d");
        Files.createDirectories(roots.resolve(tls.host()));
        Files.copy(tls.ca, roots.resolve(tls.host()).resolve("ca.crt"));
        TestPull.Result r = TestPull.pull(tls.host() + "/secure/one:1",
                opts().withCertsRoots(List.of(tmp.resolve("nonexistent"), roots)));
        assertHasAll(single, r);
    }

    @Test
    void untrustedCertificateIsRefusedUnlessTlsVerifyIsFalse() throws Exception {
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(tls.host() + "/secure/one:1", opts()));
        assertTrue(e.getMessage().contains(tls.host()) && e.getMessage().contains("not trusted"), e.getMessage());
        assertTrue(e.getMessage().contains("--cert-dir"), e.getMessage());
        // a CA folder without the right CA does not help
        Path other = Files.createDirectories(tmp.resolve("other"));
        ImageException e2 = assertThrows(ImageException.class,
                () -> TestPull.pull(tls.host() + "/secure/one:1", opts().withCertDir(other)));
        assertTrue(e2.getMessage().contains("not trusted"), e2.getMessage());

        TestPull.Result r = TestPull.pull(tls.host() + "/secure/one:1", opts().withTlsVerify(false));
        assertHasAll(single, r);
    }

    @Test
    void missingCertDirIsAnError() {
        Path none = tmp.resolve("none");
        ImageException e = assertThrows(ImageException.class,
                () -> new RegistrySource(ImageRef.parse(tls.host() + "/secure/one:1"), opts().withCertDir(none)));
        assertTrue(e.getMessage().contains(none.toString()), e.getMessage());
    }
}
