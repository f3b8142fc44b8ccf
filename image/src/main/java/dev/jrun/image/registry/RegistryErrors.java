package dev.jrun.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageJson;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.security.cert.CertPathValidatorException;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of failed registry requests. Each names the subject (registry/repository with
 * the tag or digest), what the registry said (status, and the code and message of the
 * distribution spec's error document {@code {"errors":[{"code":..., "message":...}]}}), and
 * what the user can do about it.
 */
final class RegistryErrors {

    private RegistryErrors() {}

    /** What a request was for: {@code kind} "manifest" or "blob", {@code reference} a tag or digest. */
    record Subject(String registry, String repository, String kind, String reference, boolean byTag) {
        @Override
        public String toString() {
            return registry + "/" + repository + (byTag ? ":" : "@") + reference;
        }

        /** "tag \"1\"", "manifest sha256:...", "blob sha256:..." */
        String describe() {
            return byTag ? "tag \"" + reference + "\"" : kind + " " + reference;
        }
    }

    record ApiError(String code, String message) {
        @Override
        public String toString() {
            return message == null || message.isEmpty() ? code : code + ": " + message;
        }
    }

    /** The errors of a distribution-spec error document; empty if the body is not one. */
    static List<ApiError> parse(byte[] body) {
        List<ApiError> out = new ArrayList<>();
        if (body == null || body.length == 0) return out;
        try {
            JsonNode root = ImageJson.MAPPER.readTree(body);
            if (root == null) return out;
            for (JsonNode e : root.path("errors")) {
                String code = e.path("code").asText("");
                if (!code.isEmpty()) out.add(new ApiError(code, e.path("message").asText("")));
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON (a proxy's HTML page): the status alone has to do
        }
        return out;
    }

    /** "(HTTP 404, MANIFEST_UNKNOWN: manifest unknown)" */
    static String said(int status, List<ApiError> errors, int attempts) {
        StringBuilder b = new StringBuilder("(HTTP ").append(HttpTransport.status(status));
        for (ApiError e : errors) b.append(", ").append(e);
        if (attempts > 1) b.append(", after ").append(attempts).append(" attempts");
        return b.append(')').toString();
    }

    /** The error for a non-2xx answer. {@code authHint} says which credentials were (not) used. */
    static ImageException forStatus(Subject s, int status, byte[] body, int attempts, String url, String authHint) {
        List<ApiError> errors = parse(body);
        String said = said(status, errors, attempts);
        boolean nameUnknown = errors.stream().anyMatch(e -> e.code().equals("NAME_UNKNOWN"));
        String msg = switch (status) {
            case 401 -> "unauthorized: registry " + s.registry() + " refused access to repository " + s.repository()
                    + " " + said + "; " + authHint;
            case 403 -> "denied: registry " + s.registry() + " does not allow pulling from repository " + s.repository()
                    + " " + said + "; " + authHint;
            case 404 -> nameUnknown
                    ? "repository \"" + s.repository() + "\" not found on registry " + s.registry() + " " + said
                    : s.describe() + " not found in repository " + s.repository() + " on registry " + s.registry() + " " + said;
            case 429 -> "registry " + s.registry() + " kept refusing with too many requests " + said + " to GET " + url;
            default -> status >= 500
                    ? "registry " + s.registry() + " answered with a server error " + said + " to GET " + url
                    : "registry " + s.registry() + " refused GET " + url + " " + said;
        };
        return new ImageException(s + ": " + msg);
    }

    /** No answer at all after every attempt: refused, unresolvable, unreachable, timed out. */
    static ImageException unreachable(Subject s, String hostPort, HttpTransport.Unreachable e) {
        Throwable cause = e.getCause();
        String why = describeConnectFailure(cause);
        return new ImageException(s + ": cannot connect to registry " + hostPort + ": " + why
                + (e.attempts > 1 ? " (after " + e.attempts + " attempts)" : ""), e);
    }

    static String describeConnectFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "host name not found";
            if (t instanceof NoRouteToHostException) return "no route to host";
            if (t instanceof HttpTimeoutException) return "timed out (" + t.getMessage() + ")";
            if (t instanceof ConnectException && t.getMessage() != null && t.getMessage().toLowerCase().contains("refused"))
                return "connection refused";
        }
        // Some JDK paths report a refused connection as a ConnectException without a message; a
        // timeout or an unreachable network carries its own message.
        if (cause instanceof ConnectException && allMessagesNull(cause)) return "connection refused";
        String m = cause == null ? null : cause.getMessage();
        return m == null || m.isEmpty() ? (cause == null ? "unknown error" : cause.getClass().getSimpleName()) : m;
    }

    private static boolean allMessagesNull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t.getMessage() != null) return false;
        return true;
    }

    /**
     * A TLS failure, explained: a plain-HTTP registry (the answer was not TLS at all), an
     * untrusted or mismatching certificate, or something else in the handshake.
     */
    static ImageException tls(Subject s, String hostPort, Throwable e, java.nio.file.Path certDir, boolean clientCerts) {
        String detail = rootMessage(e);
        boolean certificate = false;
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof CertificateException || t instanceof CertPathValidatorException) certificate = true;
        String msg;
        if (chainSays(e, "Unsupported or unrecognized SSL message") || chainSays(e, "plaintext connection")) {
            msg = "registry " + hostPort + " does not speak HTTPS (" + detail + "); if it is a plain-HTTP registry, "
                    + "pull with --tls-verify=false";
        } else if (certificate) {
            msg = "the TLS certificate of registry " + hostPort + " is not trusted (" + detail + "); "
                    + (certDir != null ? "the CAs in " + certDir + " do not vouch for it; " : "")
                    + "give its CA as a *.crt file with --cert-dir DIR or in /etc/containers/certs.d/" + hostPort
                    + "/, or pull with --tls-verify=false";
        } else {
            msg = "TLS handshake with registry " + hostPort + " failed (" + detail + ")"
                    + (clientCerts ? "; client certificates (*.cert, *.key in " + certDir + ") are not supported by jrun" : "");
        }
        return new ImageException(s + ": " + msg, e);
    }

    private static boolean chainSays(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t.getMessage() != null && t.getMessage().contains(text)) return true;
        return false;
    }

    private static String rootMessage(Throwable e) {
        String msg = null;
        for (Throwable t = e; t != null; t = t.getCause()) if (t.getMessage() != null) msg = t.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg;
    }
}
