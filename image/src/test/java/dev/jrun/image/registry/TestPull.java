package dev.jrun.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageRef;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageSource;
import dev.jrun.image.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drives a RegistrySource the way the importer does: entries(), the root, each manifest of an
 * index, then config and layers on parallel threads. Every blob is checked against its
 * descriptor's digest and size; the result is every blob by digest.
 */
final class TestPull {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(ImageSource.Entry entry, Map<String, byte[]> blobs) {}

    private TestPull() {}

    static Result pull(String ref, RegistryOptions opts) throws Exception {
        try (RegistrySource src = new RegistrySource(ImageRef.parse(ref), opts)) {
            return pull(src);
        }
    }

    static Result pull(RegistrySource src) throws Exception {
        List<ImageSource.Entry> entries = src.entries();
        assertEquals(1, entries.size());
        ImageSource.Entry e = entries.get(0);
        Map<String, byte[]> blobs = new ConcurrentHashMap<>();
        byte[] root = read(src, e.descriptor());
        blobs.put(e.descriptor().digest(), root);
        List<Descriptor> manifests = new ArrayList<>();
        if (MediaTypes.isIndex(e.descriptor().mediaType())) {
            for (JsonNode m : JSON.readTree(root).path("manifests")) manifests.add(descriptor(m));
        } else {
            manifests.add(e.descriptor());
        }
        List<Descriptor> rest = new ArrayList<>();
        for (Descriptor m : manifests) {
            byte[] mb = blobs.containsKey(m.digest()) ? blobs.get(m.digest()) : read(src, m);
            blobs.put(m.digest(), mb);
            JsonNode mj = JSON.readTree(mb);
            rest.add(descriptor(mj.path("config")));
            for (JsonNode l : mj.path("layers")) rest.add(descriptor(l));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> fs = new ArrayList<>();
            for (Descriptor d : rest) fs.add(pool.submit(() -> blobs.put(d.digest(), read(src, d))));
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException failed) { // as the importer does: the cause is the error
                    if (failed.getCause() instanceof Exception x) throw x;
                    throw failed;
                }
            }
        }
        return new Result(e, blobs);
    }

    static Descriptor descriptor(JsonNode n) {
        return new Descriptor(n.path("mediaType").asText(), Digest.parse(n.path("digest").asText()), n.path("size").asLong());
    }

    /** The content of {@code d}, size and digest checked. */
    static byte[] read(ImageSource src, Descriptor d) throws IOException {
        byte[] b;
        try (InputStream in = src.open(d)) {
            b = in.readAllBytes();
        }
        assertEquals(d.size(), b.length, "size of " + d.digest());
        assertEquals(d.digest(), Digest.sha256(b).toString(), "digest of " + d.mediaType());
        return b;
    }
}
