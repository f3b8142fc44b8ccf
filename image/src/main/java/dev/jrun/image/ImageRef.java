package dev.jrun.image;

import java.util.regex.Pattern;

/**
 * An image reference, normalized the way docker and podman do: {@code busybox} is
 * {@code docker.io/library/busybox:latest}; the first component is a registry host when it has
 * a '.' or ':' or is {@code localhost}. A reference carries a tag, a digest, or both.
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {
    public static final String DEFAULT_REGISTRY = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

    public ImageRef {
        if (tag == null && digest == null) tag = "latest";
    }

    public static ImageRef parse(String text) {
        if (text == null || text.isEmpty()) throw new ImageException("empty image reference");
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (ImageException e) {
                throw new ImageException("invalid image reference \"" + text + "\": " + e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) throw new ImageException("invalid tag \"" + tag + "\" in image reference \"" + text + "\"");
        }
        String registry = DEFAULT_REGISTRY;
        int first = rest.indexOf('/');
        if (first > 0) {
            String head = rest.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
                if (!HOST.matcher(head).matches()) throw new ImageException("invalid registry host \"" + head + "\" in image reference \"" + text + "\"");
                registry = head;
                rest = rest.substring(first + 1);
            }
        }
        if (rest.isEmpty()) throw new ImageException("invalid image reference \"" + text + "\": no repository");
        for (String c : rest.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches())
                throw new ImageException("invalid image reference \"" + text + "\": repository component \"" + c
                        + "\" must be lowercase letters, digits and separators");
        }
        if (registry.equals(DEFAULT_REGISTRY) && !rest.contains("/")) rest = "library/" + rest;
        return new ImageRef(registry, rest, tag, digest);
    }

    /** registry/repository, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    public ImageRef withTag(String t) {
        return new ImageRef(registry, repository, t, null);
    }

    public ImageRef withDigest(Digest d) {
        return new ImageRef(registry, repository, null, d);
    }

    /** What the registry's /manifests/ endpoint is asked for: the digest if there is one, else the tag. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
