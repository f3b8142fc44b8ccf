package dev.jrun.image.registry;

import dev.jrun.image.ImageException;
import dev.jrun.image.ImageRef;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * The distribution API v2 of one registry, for one repository: {@code GET /v2/<repo>/<path>}
 * over HTTPS (or HTTP, with --tls-verify=false), authenticated as the registry asks
 * ({@link RegistryAuth}), retried and redirected by {@link HttpTransport}, and every failure
 * turned into an {@link ImageException} that names the registry, repository, tag or digest and
 * the status ({@link RegistryErrors}).
 */
final class RegistryClient implements AutoCloseable {
    /** The endpoint docker.io's images are served from. */
    static final String DOCKER_HUB_ENDPOINT = "registry-1.docker.io";

    private final String registry;
    private final String endpoint;
    private final String repository;
    private final RegistryOptions opts;
    private final Path certDir;
    private final HttpTransport http;
    private final RegistryAuth auth;
    private final Object schemeLock = new Object();
    /** "https" or "http" once a first request has told; null before. */
    private volatile String scheme;

    RegistryClient(ImageRef ref, RegistryOptions opts) {
        this.registry = ref.registry();
        this.endpoint = ref.registry().equals(ImageRef.DEFAULT_REGISTRY) ? DOCKER_HUB_ENDPOINT : ref.registry();
        this.repository = ref.repository();
        this.opts = opts;
        SSLContext tls;
        if (opts.insecure()) {
            this.certDir = null;
            tls = TlsContexts.insecure();
        } else {
            this.certDir = TlsContexts.certDir(endpoint, opts);
            tls = TlsContexts.verified(certDir);
        }
        this.http = new HttpTransport(tls, opts.insecure(), opts.attempts(), opts.retryDelay());
        this.auth = new RegistryAuth(registry, repository, opts, http);
    }

    String registry() {
        return registry;
    }

    String repository() {
        return repository;
    }

    /**
     * A 2xx answer to {@code GET /v2/<repository>/<path>}; the caller closes its body.
     * {@code subject} names the content in messages.
     */
    HttpTransport.Reply get(String path, String accept, RegistryErrors.Subject subject) throws IOException {
        boolean reauthenticated = false;
        while (true) {
            String authorization;
            try {
                authorization = auth.authorization();
            } catch (ImageException e) { // from the token server: say what was being pulled
                throw new ImageException(subject + ": " + e.getMessage(), e);
            }
            HttpTransport.Reply r = send("/v2/" + repository + "/" + path, accept, authorization, subject);
            if (r.ok()) return r;
            // One more try when a challenge tells how to authenticate (or that a token expired).
            if (r.status() == 401 && !reauthenticated && auth.unauthorized(r.headers(), authorization)) {
                reauthenticated = true;
                continue;
            }
            String hint = r.status() == 401 || r.status() == 403 ? auth.hint() : "";
            throw RegistryErrors.forStatus(subject, r.status(), r.errorBody(), r.attempts(), r.uri().toString(), hint);
        }
    }

    /** One request on the scheme in use, deciding it on the first. */
    private HttpTransport.Reply send(String path, String accept, String authorization, RegistryErrors.Subject subject)
            throws IOException {
        String s = scheme;
        if (s != null) return call(s, path, accept, authorization, subject, HttpTransport.Wait.NORMAL);
        synchronized (schemeLock) { // parallel first requests wait for one decision
            if (scheme != null) return call(scheme, path, accept, authorization, subject, HttpTransport.Wait.NORMAL);
            try {
                HttpTransport.Reply r = call("https", path, accept, authorization, subject,
                        opts.insecure() ? HttpTransport.Wait.PROBE : HttpTransport.Wait.NORMAL);
                scheme = "https";
                return r;
            } catch (TlsFailure e) {
                if (!opts.insecure())
                    throw RegistryErrors.tls(subject, endpoint, e.getCause(), certDir, TlsContexts.hasClientCertificates(certDir));
            } catch (ProbeTimeout e) {
                // silent on TLS: try plain HTTP, which fails clearly if the server is just slow
            }
            // --tls-verify=false and no TLS on the other side: plain HTTP, as podman does
            HttpTransport.Reply r = call("http", path, accept, authorization, subject, HttpTransport.Wait.NORMAL);
            scheme = "http";
            return r;
        }
    }

    private HttpTransport.Reply call(String scheme, String path, String accept, String authorization,
                                     RegistryErrors.Subject subject, HttpTransport.Wait wait) throws IOException {
        URI origin = URI.create(scheme + "://" + endpoint);
        try {
            return http.get(origin.resolve(path), accept, authorization, origin, wait);
        } catch (HttpTransport.Unreachable e) {
            throw RegistryErrors.unreachable(subject, endpoint, e);
        } catch (HttpTimeoutException e) {
            if (wait == HttpTransport.Wait.PROBE) throw new ProbeTimeout();
            throw e;
        } catch (IOException e) {
            if (!HttpTransport.isTls(e)) throw e;
            if (this.scheme == null && scheme.equals("https")) throw new TlsFailure(e); // the scheme decision looks at it
            throw RegistryErrors.tls(subject, endpoint, e, certDir, TlsContexts.hasClientCertificates(certDir));
        }
    }

    /** Internal: the HTTPS attempt of the first request failed in TLS. */
    private static final class TlsFailure extends IOException {
        TlsFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Internal: the HTTPS probe of --tls-verify=false got no answer in time. */
    private static final class ProbeTimeout extends IOException {
        ProbeTimeout() {
            super("no answer to TLS");
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
