package dev.jrun.image.registry;

import dev.jrun.image.ImageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust for one registry, the way podman and skopeo set it up: the system's CAs, plus
 * the CAs (*.crt files) of the registry's certificate folder, which is {@code --cert-dir} or
 * else the first of {@code ~/.config/containers/certs.d/HOST[:PORT]/},
 * {@code /etc/containers/certs.d/HOST[:PORT]/}, {@code /etc/docker/certs.d/HOST[:PORT]/} that
 * exists. Or, with --tls-verify=false, no verification at all.
 *
 * <p>"The system's CAs" are the JDK's default trust store. On Debian that is the system's:
 * the JDK's lib/security/cacerts links to /etc/ssl/certs/java/cacerts, which
 * update-ca-certificates maintains. It is also the cheapest to load (a parsed PEM bundle
 * costs about 90 ms more on a cold JVM).
 */
final class TlsContexts {
    private TlsContexts() {}

    /** The certificate folder for {@code hostPort}, or null if there is none. */
    static Path certDir(String hostPort, RegistryOptions opts) {
        if (opts.certDir() != null) {
            if (!Files.isDirectory(opts.certDir()))
                throw new ImageException("certificate folder " + opts.certDir() + " (--cert-dir) does not exist or is not a folder");
            return opts.certDir();
        }
        for (Path root : certsRoots(opts)) {
            Path d = root.resolve(hostPort);
            if (Files.isDirectory(d)) return d;
        }
        return null;
    }

    static List<Path> certsRoots(RegistryOptions opts) {
        if (opts.certsRoots() != null) return opts.certsRoots();
        List<Path> roots = new ArrayList<>();
        String home = opts.env("HOME");
        if (home != null && !home.isEmpty()) roots.add(Path.of(home, ".config", "containers", "certs.d"));
        roots.add(Path.of("/etc/containers/certs.d"));
        roots.add(Path.of("/etc/docker/certs.d"));
        return roots;
    }

    /** An SSLContext that trusts the system's CAs and those in {@code certDir} (may be null). */
    static SSLContext verified(Path certDir) {
        try {
            if (certDir == null) return SSLContext.getDefault();
            List<X509Certificate> anchors = new ArrayList<>(systemAnchors());
            anchors.addAll(caFiles(certDir));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : anchors) ks.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new ImageException("cannot set up TLS trust" + (certDir == null ? "" : " with the CAs in " + certDir) + ": " + e.getMessage(), e);
        }
    }

    /** An SSLContext that accepts any certificate for any name (--tls-verify=false). */
    static SSLContext insecure() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code dir} holds client certificates (*.cert / *.key), which jrun does not present. */
    static boolean hasClientCertificates(Path dir) {
        if (dir == null) return false;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{cert,key}")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<X509Certificate> systemAnchors() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers())
            if (tm instanceof X509TrustManager x) return List.of(x.getAcceptedIssuers());
        return List.of();
    }

    /** Every certificate of every *.crt file in {@code dir} (sorted, for a stable order). */
    private static List<X509Certificate> caFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.crt")) {
            ds.forEach(files::add);
        }
        files.sort(null);
        List<X509Certificate> out = new ArrayList<>();
        for (Path f : files) {
            try {
                List<X509Certificate> certs = readCertificates(f);
                if (certs.isEmpty()) throw new ImageException("CA file " + f + " holds no certificate");
                out.addAll(certs);
            } catch (GeneralSecurityException e) {
                throw new ImageException("CA file " + f + " is not a PEM or DER certificate: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<X509Certificate> readCertificates(Path f) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(f)) {
            for (Certificate c : cf.generateCertificates(in)) if (c instanceof X509Certificate x) out.add(x);
        }
        return out;
    }

    /**
     * Trusts everything. It must be an X509ExtendedTrustManager: JSSE wraps a plain
     * X509TrustManager in one that still checks the host name, which --tls-verify=false must not.
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
