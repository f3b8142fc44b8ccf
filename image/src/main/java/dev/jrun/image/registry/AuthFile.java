package dev.jrun.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from the files podman, skopeo and docker log in to: containers' auth.json and
 * docker's config.json, which share the shape
 * {@code {"auths": {"HOST[/REPO]": {"auth": base64(user:pass)}}, "credHelpers": {...}, "credsStore": "..."}}.
 *
 * <p>Keys are matched as containers/image does: {@code host}, or {@code host/namespace} where
 * the longest matching namespace wins; a key with a scheme ({@code https://host/v1/}, docker's
 * legacy form) means just its host; docker.io is also known as index.docker.io and
 * registry-1.docker.io. Credential helpers and stores run external programs, which jrun does
 * not do: when one of them holds the credentials for the host, that is an error that says so.
 */
final class AuthFile {

    private AuthFile() {}

    /**
     * The credentials for {@code registry}/{@code repository}: from {@code explicit} (--authfile)
     * alone if given (it must exist), else from the first of {@link #candidates} that exists and
     * has an entry for the registry. Empty when there is none.
     */
    static Optional<Credentials> find(String registry, String repository, Path explicit, RegistryOptions opts) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit))
                throw new ImageException("auth file " + explicit + " (--authfile) does not exist or is not a file");
            return lookup(explicit, registry, repository);
        }
        for (Path p : candidates(opts)) {
            if (!Files.isRegularFile(p)) continue;
            Optional<Credentials> c = lookup(p, registry, repository);
            if (c.isPresent()) return c;
        }
        return Optional.empty();
    }

    /** The default search order: $REGISTRY_AUTH_FILE, containers' two auth.json, docker's config.json. */
    static List<Path> candidates(RegistryOptions opts) {
        List<Path> out = new ArrayList<>();
        String env = opts.env("REGISTRY_AUTH_FILE");
        if (env != null && !env.isEmpty()) out.add(Path.of(env));
        String xdg = opts.env("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) out.add(Path.of(xdg, "containers", "auth.json"));
        String home = opts.env("HOME");
        if (home != null && !home.isEmpty()) {
            out.add(Path.of(home, ".config", "containers", "auth.json"));
            out.add(Path.of(home, ".docker", "config.json"));
        }
        return out;
    }

    /** The entry of one file for the registry and repository; empty if it has none. */
    static Optional<Credentials> lookup(Path file, String registry, String repository) {
        JsonNode root;
        try {
            root = ImageJson.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ImageException("cannot read auth file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ImageException("auth file " + file + " is not a JSON object");
        String host = canonicalHost(registry);

        // docker consults a host's credential helper before anything else: if one is named, the
        // credentials are there and nowhere in this file.
        JsonNode helpers = root.path("credHelpers");
        for (Map.Entry<String, JsonNode> h : helpers.properties()) {
            if (canonicalHost(normalizeKey(h.getKey())).equals(host))
                throw new ImageException("auth file " + file + " names the credential helper docker-credential-"
                        + h.getValue().asText() + " for " + h.getKey() + " (credHelpers); jrun does not run credential helpers: "
                        + "pass --creds USER:PASSWORD or an --authfile with an \"auth\" entry for " + registry);
        }

        String bestKey = null;
        JsonNode best = null;
        int bestLength = -1;
        for (Map.Entry<String, JsonNode> e : root.path("auths").properties()) {
            int len = matchLength(normalizeKey(e.getKey()), host, repository);
            if (len > bestLength) {
                bestLength = len;
                bestKey = e.getKey();
                best = e.getValue();
            }
        }
        if (best == null) return Optional.empty();
        String source = "auth file " + file + ", entry \"" + bestKey + "\"";
        String auth = best.path("auth").asText("");
        if (!auth.isEmpty()) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ImageException(source + ": \"auth\" is not base64 (" + e.getMessage() + ")");
            }
            return Optional.of(Credentials.parse(pair, source));
        }
        String user = best.path("username").asText("");
        if (!user.isEmpty()) return Optional.of(new Credentials(user, best.path("password").asText(""), source));
        if (!best.path("identitytoken").asText("").isEmpty())
            throw new ImageException(source + " holds an OAuth identity token, which jrun does not support: "
                    + "pass --creds USER:PASSWORD");
        // docker writes an empty entry when the secret went to its credential store
        String store = root.path("credsStore").asText("");
        if (!store.isEmpty())
            throw new ImageException(source + " is empty: its credentials are in the credential store docker-credential-"
                    + store + " (credsStore), which jrun does not run: pass --creds USER:PASSWORD or an --authfile with an \"auth\" entry");
        return Optional.empty();
    }

    /**
     * How specifically {@code key} names {@code host}/{@code repository}: the key's length if it
     * is the host or a namespace (path prefix, whole components) of the repository on it, else -1.
     */
    static int matchLength(String key, String host, String repository) {
        int slash = key.indexOf('/');
        String keyHost = canonicalHost(slash < 0 ? key : key.substring(0, slash));
        if (!keyHost.equals(host)) return -1;
        if (slash < 0) return keyHost.length();
        String ns = key.substring(slash + 1);
        if (ns.endsWith("/")) ns = ns.substring(0, ns.length() - 1);
        if (ns.isEmpty()) return keyHost.length();
        if (repository.equals(ns) || repository.startsWith(ns + "/")) return keyHost.length() + 1 + ns.length();
        return -1;
    }

    /** A key without scheme; with one (docker's "https://index.docker.io/v1/"), just its host. */
    static String normalizeKey(String key) {
        for (String scheme : new String[] {"http://", "https://"}) {
            if (key.startsWith(scheme)) {
                String rest = key.substring(scheme.length());
                int slash = rest.indexOf('/');
                return slash < 0 ? rest : rest.substring(0, slash);
            }
        }
        return key;
    }

    /** docker.io under its other names is docker.io. */
    static String canonicalHost(String host) {
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io" -> "docker.io";
            default -> host;
        };
    }
}
