package dev.jrun.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it, {@code algorithm:hex}. Only sha256 and
 * sha512 are accepted (the spec's registered algorithms); the hex part is checked for length and
 * case, because a digest becomes a file name in the store and must never carry a path.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA512 = Pattern.compile("[0-9a-f]{128}");

    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> throw new ImageException("unsupported digest algorithm \"" + algorithm + "\" (sha256 and sha512 are)");
        };
        if (!ok) throw new ImageException("malformed " + algorithm + " digest \"" + hex + "\"");
    }

    /** Parses {@code sha256:<64 hex>}; the message names the text that was wrong. */
    public static Digest parse(String text) {
        if (text == null) throw new ImageException("missing digest");
        int colon = text.indexOf(':');
        if (colon <= 0) throw new ImageException("malformed digest \"" + text + "\" (expected algorithm:hex)");
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] data) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(data)));
    }

    public static Digest of(MessageDigest md) {
        String alg = switch (md.getAlgorithm()) {
            case "SHA-256" -> "sha256";
            case "SHA-512" -> "sha512";
            default -> throw new IllegalArgumentException(md.getAlgorithm());
        };
        return new Digest(alg, HexFormat.of().formatHex(md.digest()));
    }

    /** A fresh MessageDigest for this digest's algorithm, to verify content against it. */
    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first 12 hex digits, as image tools print an id. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
