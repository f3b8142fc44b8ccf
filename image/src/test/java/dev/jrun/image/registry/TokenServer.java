package dev.jrun.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token server for the registry's {@code auth: token:} mode (the distribution token spec), as
 * small as it can be and still real: it checks basic credentials, and issues a JWT signed RS256
 * by a key whose self-signed certificate (made with openssl) is the registry's rootcertbundle.
 * The certificate rides in the JWT header's x5c, from which the registry verifies it. The
 * requested actions are granted to the one known user; anonymous callers get a token without
 * access, which the registry then refuses (as Docker Hub does for a private repository).
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "jrun-test-registry";
    static final String ISSUER = "jrun-test-token-issuer";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One token request: the basic user (null: anonymous), the scopes asked for, the status given. */
    record Request(String user, List<String> scopes, int status) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final String user, password;
    private final Path certFile;
    private final PrivateKey key;
    private final X509Certificate cert;
    private final HttpServer server;
    private final Duration lifetime;
    /** Which field the token goes in: "token", "access_token" or both. */
    volatile String tokenField = "both";

    TokenServer(Path dir, String user, String password, Duration lifetime) throws Exception {
        this.user = user;
        this.password = password;
        this.lifetime = lifetime;
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("token.key");
        certFile = dir.resolve("token.crt");
        TestRegistry.run(Duration.ofMinutes(1), "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=jrun test token signer", "-keyout", keyFile.toString(), "-out", certFile.toString());
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(keyFile), "PRIVATE KEY")));
        cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certFile)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/token", this::token);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** test-images/registry's --token value. */
    String registryFlag() {
        return "realm=" + realm() + ",service=" + SERVICE + ",issuer=" + ISSUER + ",rootcertbundle=" + certFile;
    }

    private void token(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, List<String>> q = query(ex.getRequestURI().getRawQuery());
            List<String> scopes = q.getOrDefault("scope", List.of());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String who = null;
            if (auth != null) {
                String pair = auth.startsWith("Basic ")
                        ? new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8) : "";
                if (!pair.equals(user + ":" + password)) {
                    requests.add(new Request(pair.split(":", 2)[0], scopes, 401));
                    send(ex, 401, Map.of("errors", List.of(Map.of("code", "UNAUTHORIZED", "message", "invalid user name or password"))));
                    return;
                }
                who = user;
            }
            if (!SERVICE.equals(q.getOrDefault("service", List.of("")).get(0))) {
                requests.add(new Request(who, scopes, 400));
                send(ex, 400, Map.of("errors", List.of(Map.of("code", "DENIED", "message", "unknown service"))));
                return;
            }
            List<Map<String, Object>> access = new ArrayList<>();
            if (who != null) {
                for (String s : scopes) {
                    int first = s.indexOf(':'), last = s.lastIndexOf(':');
                    access.add(Map.of("type", s.substring(0, first), "name", s.substring(first + 1, last),
                            "actions", List.of(s.substring(last + 1).split(","))));
                }
            }
            long now = Instant.now().getEpochSecond();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", ISSUER);
            claims.put("sub", who == null ? "" : who);
            claims.put("aud", SERVICE);
            claims.put("exp", now + lifetime.toSeconds());
            claims.put("nbf", now - 10);
            claims.put("iat", now);
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("access", access);
            String jwt = jwt(claims);
            Map<String, Object> body = new LinkedHashMap<>();
            if (!tokenField.equals("access_token")) body.put("token", jwt);
            if (!tokenField.equals("token")) body.put("access_token", jwt);
            body.put("expires_in", lifetime.toSeconds());
            body.put("issued_at", Instant.ofEpochSecond(now).toString());
            requests.add(new Request(who, scopes, 200));
            send(ex, 200, body);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String jwt(Map<String, Object> claims) throws Exception {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("x5c", List.of(Base64.getEncoder().encodeToString(cert.getEncoded())));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
        Signature sig = Signature.getInstance("SHA256withRSA");
        sig.initSign(key);
        sig.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(sig.sign());
    }

    private static void send(HttpExchange ex, int status, Object json) throws IOException {
        byte[] b = JSON.writeValueAsBytes(json);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (raw == null) return m;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return m;
    }

    private static byte[] pem(String text, String type) {
        String begin = "-----BEGIN " + type + "-----", end = "-----END " + type + "-----";
        int b = text.indexOf(begin), e = text.indexOf(end);
        if (b < 0 || e < 0) throw new IllegalArgumentException("no " + type + " in PEM");
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
