package dev.jrun.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageJson;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageConfig;
import dev.jrun.image.oci.ImageIndex;
import dev.jrun.image.oci.Manifest;
import dev.jrun.image.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** What the AOT training run's image steps use: a one-file OCI layout, and a socket that answers 404. */
final class TrainingImage {
    private TrainingImage() {}

    /** An OCI layout whose one gzip layer holds {@code hello}, owned by whoever runs the build. */
    static Path write(Path dir) throws IOException {
        ObjectMapper json = ImageJson.MAPPER;
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] tar = tarOfOneFile("hello", "hello from the training image\n".getBytes(StandardCharsets.UTF_8),
                (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(tar);
        }
        Descriptor layer = put(dir, MediaTypes.OCI_LAYER_GZIP, gz.toByteArray());
        ImageConfig cfg = new ImageConfig(null, null, "amd64", "linux", null,
                new ImageConfig.Config(null, null, List.of("A=b"), null, List.of("sh"), null, "/", null, null),
                new ImageConfig.RootFs("layers", List.of(Digest.sha256(tar).toString())));
        Descriptor config = put(dir, MediaTypes.OCI_CONFIG, json.writeValueAsBytes(cfg));
        Descriptor manifest = put(dir, MediaTypes.OCI_MANIFEST,
                json.writeValueAsBytes(new Manifest(2, MediaTypes.OCI_MANIFEST, config, List.of(layer), null)));
        Files.write(dir.resolve("index.json"), json.writeValueAsBytes(new ImageIndex(2, MediaTypes.OCI_INDEX,
                List.of(manifest.withAnnotations(Map.of(ImageIndex.REF_NAME, "latest"))), null)));
        return dir;
    }

    private static Descriptor put(Path layout, String mediaType, byte[] data) throws IOException {
        Digest d = Digest.sha256(data);
        Files.write(layout.resolve("blobs/sha256/" + d.hex()), data);
        return new Descriptor(mediaType, d, data.length);
    }

    /** A ustar archive of one regular file (mode 0644, mtime 0). */
    private static byte[] tarOfOneFile(String name, byte[] data, int uid) {
        byte[] h = new byte[512];
        field(h, 0, name);
        field(h, 100, "0000644");
        field(h, 108, String.format("%07o", uid));
        field(h, 116, String.format("%07o", uid));
        field(h, 124, String.format("%011o", data.length));
        field(h, 136, "00000000000");
        h[156] = '0';
        field(h, 257, "ustar");
        field(h, 263, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        field(h, 148, String.format("%06o", sum));
        h[155] = ' ';
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512 + 1024]);
        return out.toByteArray();
    }

    private static void field(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    /** Answers every connection with a plain-HTTP 404 (a TLS hello gets it too, and fails). */
    static void answer404(ServerSocket server) {
        while (!Thread.currentThread().isInterrupted()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                in.read(new byte[4096]);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }
}
