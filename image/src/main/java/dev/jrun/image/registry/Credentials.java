package dev.jrun.image.registry;

import dev.jrun.image.ImageException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for a registry, and where they came from ({@code source}, for
 * messages: "--creds", "auth file /root/.docker/config.json"). toString never shows the password.
 */
record Credentials(String username, String password, String source) {
    /** {@code USER:PASSWORD} as --creds takes it; the password may itself contain ':'. */
    static Credentials parse(String userColonPassword, String source) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0)
            throw new ImageException(source + ": expected USER:PASSWORD, got " + (colon == 0 ? "no user name" : "no ':'"));
        return new Credentials(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1), source);
    }

    /** The value of an Authorization header for HTTP basic authentication. */
    String basicAuthorization() {
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** "user \"jrunner\" (from --creds)" */
    String describe() {
        return "user \"" + username + "\" (from " + source + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
