package dev.jrun.image.registry;

import dev.jrun.image.ImageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * GET requests over one {@link HttpClient} (HTTP/1.1, so parallel blob downloads get parallel
 * connections), with the two things the JDK client does not do the way a registry client must:
 *
 * <ul>
 *   <li>Redirects are followed here, not by the client, because the Authorization header must go
 *       to the registry only. Blob storage behind a redirect (S3, a CDN) gets signed URLs, and
 *       sending it the registry's credentials would leak them.
 *   <li>Bounded retries with exponential back-off for what may pass: connection failures,
 *       5xx and 429 (honouring a short Retry-After). TLS failures and other 4xx are final.
 * </ul>
 */
final class HttpTransport implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long to wait for the response headers (a body then streams for as long as it takes),
     * and whether a timeout is worth another attempt.
     */
    enum Wait {
        NORMAL(Duration.ofSeconds(60), true),
        /**
         * The --tls-verify=false probe for TLS: a plain-HTTP server may sit silent on a
         * ClientHello. The answer to that is trying HTTP, not waiting again.
         */
        PROBE(Duration.ofSeconds(10), false);

        final Duration headers;
        final boolean retryTimeouts;

        Wait(Duration headers, boolean retryTimeouts) {
            this.headers = headers;
            this.retryTimeouts = retryTimeouts;
        }
    }
    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_ERROR_BODY = 64 << 10;
    /** A Retry-After longer than this is not waited for; the normal back-off applies. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);
    private static final String USER_AGENT = "jrun/0.1";

    /**
     * The last answer: status and headers; for 2xx the body to stream (the caller closes it),
     * otherwise the start of the body (an error document) already read and closed.
     * {@code attempts}: how many tries it took.
     */
    record Reply(int status, HttpHeaders headers, URI uri, InputStream body, byte[] errorBody, int attempts) {
        boolean ok() {
            return status / 100 == 2;
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** Connection failures that outlasted every attempt: the last one, and how many there were. */
    static final class Unreachable extends IOException {
        final int attempts;

        Unreachable(IOException last, int attempts) {
            super(last.getMessage(), last);
            this.attempts = attempts;
        }
    }

    private final HttpClient client;
    private final int attempts;
    private final Duration firstDelay;

    HttpTransport(SSLContext tls, int attempts, Duration firstDelay) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .sslContext(tls)
                .build();
        this.attempts = attempts;
        this.firstDelay = firstDelay;
    }

    /**
     * GET {@code uri}, following redirects and retrying. {@code authorization} (may be null) is
     * sent only to URIs with the same scheme, host and port as {@code authOrigin}.
     * Throws {@link SSLException} (or an IOException caused by one) at once for TLS failures,
     * {@link HttpTimeoutException} at once if {@code wait} does not retry timeouts, and
     * {@link Unreachable} when no attempt got an answer.
     */
    Reply get(URI uri, String accept, String authorization, URI authOrigin, Wait wait) throws IOException {
        IOException last = null;
        Duration serverDelay = null; // the server's Retry-After, replacing one back-off
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) pause(serverDelay != null ? serverDelay : backoff(attempt - 1));
            serverDelay = null;
            HttpResponse<InputStream> r;
            try {
                r = follow(uri, accept, authorization, authOrigin, wait.headers);
            } catch (IOException e) {
                if (isTls(e) || e instanceof InterruptedIOException) throw e; // a certificate does not get better by asking again
                if (e instanceof HttpTimeoutException && !wait.retryTimeouts) throw e;
                last = e;
                continue;
            }
            int s = r.statusCode();
            if (s / 100 == 2) return new Reply(s, r.headers(), r.uri(), r.body(), null, attempt);
            byte[] error = drain(r.body());
            boolean retryable = s >= 500 || s == 429;
            if (!retryable || attempt == attempts) return new Reply(s, r.headers(), r.uri(), null, error, attempt);
            serverDelay = retryAfter(r.headers());
        }
        throw new Unreachable(Objects.requireNonNull(last), attempts);
    }

    /** One request and the redirects it leads to. */
    private HttpResponse<InputStream> follow(URI uri, String accept, String authorization, URI authOrigin, Duration timeout)
            throws IOException {
        URI at = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(at).GET().timeout(timeout)
                    .header("User-Agent", USER_AGENT);
            if (accept != null) b.header("Accept", accept);
            if (authorization != null && sameOrigin(at, authOrigin)) b.header("Authorization", authorization);
            HttpResponse<InputStream> r;
            try {
                r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + at);
            }
            int s = r.statusCode();
            String location = r.headers().firstValue("Location").orElse(null);
            if (!isRedirect(s) || location == null) return r;
            r.body().close();
            // bad redirects are final (ImageException): asking again gets the same answer
            if (hop >= MAX_REDIRECTS) throw new ImageException("GET " + uri + ": more than " + MAX_REDIRECTS + " redirects");
            try {
                at = at.resolve(location);
            } catch (IllegalArgumentException e) {
                throw new ImageException("GET " + uri + ": redirect from " + at + " to an invalid location \"" + location + "\"", e);
            }
            if (!"http".equals(at.getScheme()) && !"https".equals(at.getScheme()))
                throw new ImageException("GET " + uri + ": redirect to " + at + ": only http and https are followed");
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return b != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) return u.getPort();
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static boolean isRedirect(int s) {
        return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
    }

    /** Whether {@code e} is a TLS failure (HttpClient wraps some of them in a plain IOException). */
    static boolean isTls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof SSLException) return true;
        return false;
    }

    private Duration backoff(int retry) {
        long base = firstDelay.toMillis() << Math.min(retry - 1, 10);
        long jitter = base <= 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 4 + 1);
        return Duration.ofMillis(base + jitter);
    }

    /** Retry-After as seconds or an HTTP date, if present and short enough to honour. */
    static Duration retryAfter(HttpHeaders h) {
        String v = h.firstValue("Retry-After").orElse(null);
        if (v == null) return null;
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (RuntimeException e2) {
                return null;
            }
        }
        if (d.isNegative()) d = Duration.ZERO;
        return d.compareTo(MAX_RETRY_AFTER) <= 0 ? d : null;
    }

    private static void pause(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /** The start of an error body (a registry's JSON error document is small), then the stream closed. */
    private static byte[] drain(InputStream in) {
        try (in) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** "503 Service Unavailable": the status with its usual reason (HTTP/1.1 reasons are not kept by HttpClient). */
    static String status(int s) {
        String reason = switch (s) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> null;
        };
        return reason == null ? Integer.toString(s) : s + " " + reason;
    }

    @Override
    public void close() {
        // The pull is over when the source closes; a stream nobody closed must not keep it open.
        client.shutdownNow();
    }
}
