package dev.jrun.image.registry;

import dev.jrun.image.ImageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication against the real registry: htpasswd (Basic) behind TLS, with --creds and auth
 * files; and the token flow (Bearer challenge, token server, JWT the registry verifies).
 */
class RegistryAuthTest {
    private static final String USER = "jrunner", PASS = "s3cret-pass";
    private static TestRegistry basic, token;
    private static TokenServer tokens;
    private static FaultProxy tokenProxy;
    private static TestLayout.Layout layout;
    private static Path work;

    @TempDir Path tmp;

    @BeforeAll
    static void registries() throws Exception {
        work = Files.createTempDirectory("jrun-registry-auth-test-");
        layout = TestLayout.single(work.resolve("layout"), "auth", 20_000);
        basic = TestRegistry.start("--tls", "--htpasswd", USER + ":" + PASS);
        basic.push(layout.dir(), "private/one:1", "--dest-creds", USER + ":" + PASS);
        tokens = new TokenServer(work.resolve("token"), USER, PASS, Duration.ofMinutes(5));
        token = TestRegistry.start("--token", tokens.registryFlag());
        token.push(layout.dir(), "tok/one:1", "--dest-creds", USER + ":" + PASS);
        tokenProxy = new FaultProxy(token.port);
    }

    @AfterAll
    static void stop() throws Exception {
        TestRegistry.closeAll(work, tokenProxy, basic, token, tokens);
    }

    /** No auth file of this machine is read: HOME is the test's folder, and only what env adds. */
    private RegistryOptions opts(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("HOME", tmp.resolve("home").toString());
        return RegistryOptions.defaults().withEnvironment(e).withCertsRoots(List.of()).withRetries(2, Duration.ofMillis(10));
    }

    private RegistryOptions basicOpts() {
        return opts(Map.of()).withCertDir(basic.certDir());
    }

    private String basicRef() {
        return basic.host() + "/private/one:1";
    }

    private static String authJson(String key, String user, String pass) {
        String b64 = Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{\"" + key + "\":{\"auth\":\"" + b64 + "\"}}}";
    }

    private static void assertPulled(TestPull.Result r) {
        for (Map.Entry<String, byte[]> e : layout.blobs().entrySet())
            assertArrayEquals(e.getValue(), r.blobs().get(e.getKey()), e.getKey());
    }

    @Test
    void basicAuthWithoutCredentialsIs401AndSaysHowToGiveThem() {
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(basicRef(), basicOpts()));
        assertTrue(e.getMessage().contains("401") && e.getMessage().contains(basic.host()), e.getMessage());
        assertTrue(e.getMessage().contains("private/one"), e.getMessage());
        assertTrue(e.getMessage().contains("--creds"), e.getMessage());
    }

    @Test
    void basicAuthWithCreds() throws Exception {
        assertPulled(TestPull.pull(basicRef(), basicOpts().withCredentials(USER + ":" + PASS)));
    }

    @Test
    void basicAuthWrongPasswordIs401NamingTheUser() {
        ImageException e = assertThrows(ImageException.class,
                () -> TestPull.pull(basicRef(), basicOpts().withCredentials(USER + ":wrong")));
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertTrue(e.getMessage().contains("user \"" + USER + "\" (from --creds)"), e.getMessage());
    }

    @Test
    void basicAuthFromAnAuthFileTheMostSpecificEntryWins() throws Exception {
        Path auth = tmp.resolve("auth.json");
        Files.writeString(auth, authJson(basic.host(), USER, PASS));
        assertPulled(TestPull.pull(basicRef(), basicOpts().withAuthFile(auth)));

        // host/namespace beats host
        String b = Base64.getEncoder().encodeToString((USER + ":" + PASS).getBytes(StandardCharsets.UTF_8));
        String w = Base64.getEncoder().encodeToString((USER + ":wrong").getBytes(StandardCharsets.UTF_8));
        Files.writeString(auth, "{\"auths\":{\"" + basic.host() + "\":{\"auth\":\"" + w + "\"},\""
                + basic.host() + "/private\":{\"auth\":\"" + b + "\"},\"" + basic.host() + "/priv\":{\"auth\":\"" + w + "\"}}}");
        assertPulled(TestPull.pull(basicRef(), basicOpts().withAuthFile(auth)));

        // --creds wins over the file
        Files.writeString(auth, authJson(basic.host(), USER, "wrong"));
        assertPulled(TestPull.pull(basicRef(), basicOpts().withAuthFile(auth).withCredentials(USER + ":" + PASS)));
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(basicRef(), basicOpts().withAuthFile(auth)));
        assertTrue(e.getMessage().contains("401") && e.getMessage().contains(auth.toString()), e.getMessage());

        ImageException missing = assertThrows(ImageException.class,
                () -> TestPull.pull(basicRef(), basicOpts().withAuthFile(tmp.resolve("nope.json"))));
        assertTrue(missing.getMessage().contains("nope.json"), missing.getMessage());
    }

    @Test
    void authFileSearchOrder() throws Exception {
        Path home = tmp.resolve("home");
        Path runtime = tmp.resolve("run");
        // containers' auth.json under XDG_RUNTIME_DIR has an entry for another registry only: skipped
        Files.createDirectories(runtime.resolve("containers"));
        Files.writeString(runtime.resolve("containers/auth.json"), authJson("other.example", USER, "x"));
        // docker's config.json with the legacy https:// key
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), authJson("https://" + basic.host() + "/v1/", USER, PASS));
        RegistryOptions o = opts(Map.of("XDG_RUNTIME_DIR", runtime.toString())).withCertDir(basic.certDir());
        assertPulled(TestPull.pull(basicRef(), o));

        // $REGISTRY_AUTH_FILE comes first
        Path env = tmp.resolve("env-auth.json");
        Files.writeString(env, authJson(basic.host(), USER, "wrong"));
        RegistryOptions withEnv = opts(Map.of("XDG_RUNTIME_DIR", runtime.toString(), "REGISTRY_AUTH_FILE", env.toString()))
                .withCertDir(basic.certDir());
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(basicRef(), withEnv));
        assertTrue(e.getMessage().contains(env.toString()), e.getMessage());
    }

    @Test
    void credentialHelpersAreAClearError() throws IOException {
        Path auth = tmp.resolve("helper.json");
        Files.writeString(auth, "{\"auths\":{},\"credHelpers\":{\"" + basic.host() + "\":\"pass\"}}");
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(basicRef(), basicOpts().withAuthFile(auth)));
        assertTrue(e.getMessage().contains("docker-credential-pass") && e.getMessage().contains("not run"), e.getMessage());

        Files.writeString(auth, "{\"auths\":{\"" + basic.host() + "\":{}},\"credsStore\":\"desktop\"}");
        ImageException s = assertThrows(ImageException.class, () -> TestPull.pull(basicRef(), basicOpts().withAuthFile(auth)));
        assertTrue(s.getMessage().contains("docker-credential-desktop") && s.getMessage().contains("credsStore"), s.getMessage());
    }

    @Test
    void bearerTokenFlowFetchesOneTokenForTheWholePull() throws Exception {
        tokens.requests.clear();
        TestPull.Result r = TestPull.pull(token.host() + "/tok/one:1",
                opts(Map.of()).withTlsVerify(false).withCredentials(USER + ":" + PASS));
        assertPulled(r);
        assertEquals(List.of(new TokenServer.Request(USER, List.of("repository:tok/one:pull"), 200)), tokens.requests,
                "one token, for pull on the repository, shared by the parallel blob requests");
    }

    @Test
    void aRefusedTokenIsFetchedAgainOnce() throws Exception {
        String layer = layout.image().layer().digest().toString();
        String challenge = "Bearer realm=\"" + tokens.realm() + "\",service=\"" + TokenServer.SERVICE
                + "\",scope=\"repository:tok/one:pull\",error=\"invalid_token\"";
        boolean[] refused = {false};
        // the registry refuses the token on the layer once, as it would an expired one
        tokenProxy.rule((i, r) -> {
            if (r.path().endsWith(layer) && r.header("Authorization") != null && !refused[0]) {
                refused[0] = true;
                return new FaultProxy.Status(401, Map.of("WWW-Authenticate", challenge));
            }
            return FaultProxy.PASS;
        });
        tokens.requests.clear();
        assertPulled(TestPull.pull(tokenProxy.host() + "/tok/one:1",
                opts(Map.of()).withTlsVerify(false).withCredentials(USER + ":" + PASS)));
        assertTrue(refused[0]);
        assertEquals(2, tokens.requests.size(), "a second token after the refusal: " + tokens.requests);
    }

    @Test
    void bearerTokenInAccessTokenField() throws Exception {
        tokens.tokenField = "access_token";
        try {
            assertPulled(TestPull.pull(token.host() + "/tok/one:1", opts(Map.of()).withTlsVerify(false).withCredentials(USER + ":" + PASS)));
        } finally {
            tokens.tokenField = "both";
        }
    }

    @Test
    void bearerWrongPasswordIs401FromTheTokenServer() {
        ImageException e = assertThrows(ImageException.class, () -> TestPull.pull(token.host() + "/tok/one:1",
                opts(Map.of()).withTlsVerify(false).withCredentials(USER + ":wrong")));
        assertTrue(e.getMessage().contains("401") && e.getMessage().contains("token server"), e.getMessage());
        assertTrue(e.getMessage().contains(token.host()) && e.getMessage().contains("user \"" + USER + "\""), e.getMessage());
    }

    @Test
    void bearerAnonymousTokenWithoutAccessIs401() {
        tokens.requests.clear();
        ImageException e = assertThrows(ImageException.class,
                () -> TestPull.pull(token.host() + "/tok/one:1", opts(Map.of()).withTlsVerify(false)));
        assertTrue(e.getMessage().contains("401") && e.getMessage().contains("tok/one"), e.getMessage());
        assertTrue(e.getMessage().contains("no credentials"), e.getMessage());
        assertTrue(tokens.requests.stream().allMatch(q -> q.user() == null), "anonymous token requests: " + tokens.requests);
    }
}
