package dev.jrun.image.store;

import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageSource;
import dev.jrun.image.oci.ManifestResolver;
import dev.jrun.image.oci.MediaTypes;
import dev.jrun.image.oci.Platform;
import dev.jrun.image.progress.Progress;
import dev.jrun.linux.Flock;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies one image from an {@link ImageSource} (a registry, a layout, an archive) into the store:
 * the root manifest or index, the platform's manifest, its config and its layers, each verified
 * against its digest and size while it streams. Layers go in parallel; a layer already stored is
 * not fetched again. The manifest is stored last and the name tagged after it, so a name in the
 * catalog always means complete content, whatever crashed half-way.
 */
public final class Importer {
    /** At most this many blobs in flight: enough to fill a link, few enough for a small registry. */
    private static final int PARALLEL = 4;
    private static final int ATTEMPTS = 3;

    private final ImageStore store;
    private final Progress progress;

    public Importer(ImageStore store, Progress progress) {
        this.store = store;
        this.progress = progress;
    }

    /**
     * Imports {@code entry} of {@code source} under {@code name}, for {@code platform}.
     * {@code what} names the image in messages (the reference the user typed).
     */
    public StoredImage importImage(ImageSource source, ImageSource.Entry entry, String name, Platform platform, String what)
            throws IOException {
        try (Flock l = store.readLock()) {
            Descriptor root = entry.descriptor();
            byte[] rootBytes = readSmall(source, root, what);
            ManifestResolver.Resolved r = ManifestResolver.resolve(root, rootBytes, platform, d -> readSmall(source, d, what), what);
            List<Descriptor> layers = r.manifest().layers();
            List<String> diffIds = r.config().rootfs().diffIds();
            for (Descriptor d : layers) MediaTypes.layerCompression(d.mediaType());
            copyLayers(source, layers, what);
            BlobStore blobs = store.blobs();
            blobs.write(r.configBytes(), r.manifest().config().parsedDigest(), "config of " + what);
            blobs.write(r.manifestBytes(), r.manifestDescriptor().parsedDigest(), "manifest of " + what);
            if (!root.digest().equals(r.manifestDescriptor().digest()))
                blobs.write(rootBytes, root.parsedDigest(), "index of " + what);
            if (diffIds.size() != layers.size())
                throw new ImageException(what + ": config lists " + diffIds.size() + " diff_ids for " + layers.size() + " layers");
            return store.tag(name, r.manifestDescriptor(), root.digest());
        }
    }

    /** A manifest, index or config: read whole (bounded), digest and size checked. */
    private static byte[] readSmall(ImageSource source, Descriptor d, String what) throws IOException {
        if (d.size() > 16 << 20) throw new ImageException(what + ": " + d.mediaType() + " " + d.digest() + " is " + d.size() + " bytes, more than a manifest or config may be");
        Digest digest = d.parsedDigest();
        byte[] data;
        try (InputStream in = source.open(d)) {
            data = in.readNBytes((int) d.size() + 1);
        }
        if (data.length != d.size())
            throw new ImageException(what + ": " + d.digest() + " is " + data.length + " bytes, its descriptor says " + d.size());
        java.security.MessageDigest md = digest.newMessageDigest();
        md.update(data);
        Digest actual = Digest.of(md);
        if (!actual.equals(digest))
            throw new ImageException(what + ": digest mismatch for " + d.mediaType() + ": expected " + digest + ", content is " + actual);
        return data;
    }

    private void copyLayers(ImageSource source, List<Descriptor> layers, String what) throws IOException {
        List<Future<?>> jobs = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, Math.max(1, layers.size())),
                Thread.ofPlatform().daemon().name("jrun-blob-", 0).factory())) {
            for (int i = 0; i < layers.size(); i++) {
                Descriptor d = layers.get(i);
                String label = "layer " + (i + 1) + "/" + layers.size() + " " + d.digest() + " of " + what;
                jobs.add(pool.submit(() -> {
                    copyBlob(source, d, label);
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    jobs.forEach(j -> j.cancel(true));
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) throw io;
                    if (c instanceof RuntimeException re) throw re;
                    throw new IOException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    private void copyBlob(ImageSource source, Descriptor d, String label) throws IOException {
        Digest digest = d.parsedDigest();
        BlobStore blobs = store.blobs();
        Progress.Task task = progress.start(d.parsedDigest().shortHex(), d.size());
        if (blobs.has(digest)) {
            task.skipped();
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try (InputStream in = source.open(d)) {
                blobs.write(in, digest, d.size(), label, task::advance);
                task.done();
                return;
            } catch (IOException e) {
                // A connection that broke mid-blob: the partial file is gone; fetch it again.
                if (attempt >= ATTEMPTS) {
                    task.failed(e.getMessage());
                    throw new ImageException(label + ": " + e.getMessage() + " (after " + attempt + " attempts)", e);
                }
                task.restart();
            } catch (RuntimeException e) {
                task.failed(e.getMessage());
                throw e;
            }
        }
    }
}
