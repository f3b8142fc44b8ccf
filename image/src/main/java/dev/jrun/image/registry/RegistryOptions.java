package dev.jrun.image.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to reach a registry for one pull; the command line's flags, plus what tests replace.
 *
 * @param tlsVerify   null or TRUE: HTTPS with a verified certificate only. FALSE
 *                    ({@code --tls-verify=false}): HTTPS without verification, and plain HTTP if
 *                    the registry does not speak TLS (as podman does).
 * @param authFile    {@code --authfile}: the only credentials file read; null: the default search
 *                    ({@link AuthFile#candidates}).
 * @param certDir     {@code --cert-dir}: the CAs (*.crt) for this registry; null: the per-host
 *                    folders under {@link #certsRoots}.
 * @param credentials {@code --creds USER:PASSWORD}; wins over any auth file.
 * @param environment where HOME, XDG_RUNTIME_DIR and REGISTRY_AUTH_FILE are read; null: the process's.
 * @param certsRoots  the folders holding {@code HOST[:PORT]/} CA folders; null: $HOME/.config/containers/certs.d,
 *                    /etc/containers/certs.d, /etc/docker/certs.d (the first with a folder for the host is used).
 * @param attempts    tries per request for connection failures, 5xx and 429 (at least 1).
 * @param retryDelay  the first back-off; it doubles per retry.
 */
public record RegistryOptions(Boolean tlsVerify, Path authFile, Path certDir, String credentials,
                              Map<String, String> environment, List<Path> certsRoots,
                              int attempts, Duration retryDelay) {
    public static final int DEFAULT_ATTEMPTS = 4;
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(250);

    public RegistryOptions {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        if (retryDelay == null || retryDelay.isNegative()) retryDelay = DEFAULT_RETRY_DELAY;
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(null, null, null, null, null, null, DEFAULT_ATTEMPTS, DEFAULT_RETRY_DELAY);
    }

    /** Whether certificates may go unverified and plain HTTP may be used. */
    public boolean insecure() {
        return Boolean.FALSE.equals(tlsVerify);
    }

    /** The environment variable {@code name}, from {@link #environment} or the process. */
    String env(String name) {
        return environment != null ? environment.get(name) : System.getenv(name);
    }

    public RegistryOptions withTlsVerify(Boolean v) {
        return new RegistryOptions(v, authFile, certDir, credentials, environment, certsRoots, attempts, retryDelay);
    }

    public RegistryOptions withAuthFile(Path p) {
        return new RegistryOptions(tlsVerify, p, certDir, credentials, environment, certsRoots, attempts, retryDelay);
    }

    public RegistryOptions withCertDir(Path p) {
        return new RegistryOptions(tlsVerify, authFile, p, credentials, environment, certsRoots, attempts, retryDelay);
    }

    public RegistryOptions withCredentials(String c) {
        return new RegistryOptions(tlsVerify, authFile, certDir, c, environment, certsRoots, attempts, retryDelay);
    }

    public RegistryOptions withEnvironment(Map<String, String> env) {
        return new RegistryOptions(tlsVerify, authFile, certDir, credentials, env, certsRoots, attempts, retryDelay);
    }

    public RegistryOptions withCertsRoots(List<Path> roots) {
        return new RegistryOptions(tlsVerify, authFile, certDir, credentials, environment, roots, attempts, retryDelay);
    }

    public RegistryOptions withRetries(int attempts, Duration firstDelay) {
        return new RegistryOptions(tlsVerify, authFile, certDir, credentials, environment, certsRoots, attempts, firstDelay);
    }
}
