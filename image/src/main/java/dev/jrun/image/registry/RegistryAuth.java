package dev.jrun.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Authentication with one registry for one repository, as docker and podman do it: requests go
 * anonymously until the registry answers 401; its WWW-Authenticate challenge then says how.
 *
 * <ul>
 *   <li>{@code Basic realm=...}: every further request carries the user's basic credentials.
 *   <li>{@code Bearer realm=URL,service=S,scope=SC}: a token is fetched from the realm (with
 *       the basic credentials if there are any, anonymously otherwise), cached per scope for
 *       the whole pull ({@link TokenCache}) and sent as {@code Bearer TOKEN}.
 * </ul>
 *
 * <p>Credentials are looked up only when a challenge asks for them: --creds, else the auth
 * files ({@link AuthFile}). A public image never reads them.
 */
final class RegistryAuth {
    /** The token spec's default lifetime when the server gives none, and its floor. */
    private static final long MIN_TOKEN_SECONDS = 60;

    private final String registry;
    private final String repository;
    private final RegistryOptions opts;
    private final HttpTransport http;
    private final TokenCache tokens = new TokenCache(Clock.systemUTC());
    /** The challenge being answered; null while requests go anonymously. */
    private volatile Challenge challenge;
    private Optional<Credentials> credentials; // guarded by this; null until looked up

    RegistryAuth(String registry, String repository, RegistryOptions opts, HttpTransport http) {
        this.registry = registry;
        this.repository = repository;
        this.opts = opts;
        this.http = http;
    }

    /** The Authorization header for the next registry request, or null for an anonymous one. */
    String authorization() throws IOException {
        Challenge c = challenge;
        if (c == null) return null;
        if (c.isBasic()) return credentials().map(Credentials::basicAuthorization).orElse(null);
        String scope = scope(c);
        return "Bearer " + tokens.get(cacheKey(c, scope), () -> fetchToken(c, scope));
    }

    /**
     * The registry answered 401 to a request that carried {@code sent} (null: anonymous).
     * Returns whether trying again with the challenge's authentication can succeed.
     */
    boolean unauthorized(HttpHeaders headers, String sent) {
        Challenge c = Challenge.pick(headers.allValues("WWW-Authenticate"));
        if (c == null) return false;
        if (c.isBasic()) {
            if (sent != null && sent.startsWith("Basic ")) return false; // these credentials were refused
            if (credentials().isEmpty()) return false;
            challenge = c;
            return true;
        }
        // A refused token may just have expired: forget it, so the retry fetches a new one.
        if (sent != null && sent.startsWith("Bearer ")) tokens.invalidate(cacheKey(c, scope(c)), sent.substring(7));
        challenge = c;
        return true;
    }

    /** For messages: which credentials were used, or how to give some. */
    String hint() {
        Optional<Credentials> c;
        try {
            c = credentials();
        } catch (ImageException e) {
            return e.getMessage();
        }
        Challenge ch = challenge;
        String insufficient = ch != null && "insufficient_scope".equals(ch.param("error"))
                ? " (the token did not grant " + scope(ch) + ")" : "";
        return c.map(cr -> "the registry did not accept " + cr.describe() + insufficient)
                .orElse("no credentials for " + registry + " were given or found" + insufficient
                        + ": pass --creds USER:PASSWORD, or --authfile FILE with an entry for " + registry);
    }

    /** --creds, else the auth files; looked up once. */
    synchronized Optional<Credentials> credentials() {
        if (credentials == null) {
            credentials = opts.credentials() != null
                    ? Optional.of(Credentials.parse(opts.credentials(), "--creds"))
                    : AuthFile.find(registry, repository, opts.authFile(), opts);
        }
        return credentials;
    }

    /** The challenge's scope, or pull access to our repository when it names none (a /v2/ challenge). */
    private String scope(Challenge c) {
        String s = c.param("scope");
        return s != null && !s.isBlank() ? s : "repository:" + repository + ":pull";
    }

    private static String cacheKey(Challenge c, String scope) {
        return c.param("realm") + " " + c.param("service") + " " + scope;
    }

    /** GET realm?service=S&scope=SC (one scope parameter per space-separated scope, as docker sends them). */
    private TokenCache.Token fetchToken(Challenge c, String scope) throws IOException {
        String realm = c.param("realm");
        URI base;
        try {
            base = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new ImageException("registry " + registry + " names an invalid token realm \"" + realm + "\"");
        }
        if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme()))
            throw new ImageException("registry " + registry + " names a token realm that is not http(s): \"" + realm + "\"");
        StringBuilder q = new StringBuilder();
        if (c.param("service") != null) q.append("service=").append(enc(c.param("service")));
        for (String sc : scope.trim().split("\\s+")) q.append(q.isEmpty() ? "" : "&").append("scope=").append(enc(sc));
        Optional<Credentials> cred = credentials();
        cred.ifPresent(cr -> q.append("&account=").append(enc(cr.username())));
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + q);

        HttpTransport.Reply r;
        try {
            r = http.get(uri, "application/json", cred.map(Credentials::basicAuthorization).orElse(null), uri,
                    HttpTransport.Wait.NORMAL);
        } catch (HttpTransport.Unreachable e) {
            throw new ImageException("registry " + registry + ": cannot reach its token server " + realm + ": "
                    + RegistryErrors.describeConnectFailure(e.getCause()), e);
        } catch (IOException e) {
            if (HttpTransport.isTls(e))
                throw new ImageException("registry " + registry + ": TLS failure with its token server " + realm + ": " + e.getMessage(), e);
            throw e;
        }
        if (!r.ok()) {
            String said = RegistryErrors.said(r.status(), RegistryErrors.parse(r.errorBody()), r.attempts());
            String who = cred.map(Credentials::describe).orElse("anonymous access");
            if (r.status() == 401 || r.status() == 403)
                throw new ImageException("unauthorized: the token server " + realm + " of registry " + registry
                        + " refused " + who + " for " + scope + " " + said
                        + (cred.isEmpty() ? ": pass --creds USER:PASSWORD, or --authfile FILE with an entry for " + registry : ""));
            throw new ImageException("registry " + registry + ": its token server " + realm + " failed for " + scope + " " + said);
        }
        byte[] body;
        try (var in = r.body()) {
            body = in.readNBytes(1 << 20);
        }
        JsonNode json;
        try {
            json = ImageJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ImageException("registry " + registry + ": the token server " + realm + " answered something that is not JSON");
        }
        String token = json == null ? "" : json.path("token").asText("");
        if (token.isEmpty() && json != null) token = json.path("access_token").asText("");
        if (token.isEmpty())
            throw new ImageException("registry " + registry + ": the token server " + realm + " answered without a token");
        long lifetime = Math.max(MIN_TOKEN_SECONDS, json.path("expires_in").asLong(MIN_TOKEN_SECONDS));
        // From the time of receipt, not the server's issued_at: the clocks need not agree, and
        // the registry checks the token's own expiry anyway (a 401 then fetches a new one).
        Instant issued = Instant.now();
        return new TokenCache.Token(token, issued.plusSeconds(lifetime));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
