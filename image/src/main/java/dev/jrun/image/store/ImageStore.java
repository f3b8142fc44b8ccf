package dev.jrun.image.store;

import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageRef;
import dev.jrun.image.ImageJson;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageConfig;
import dev.jrun.image.oci.Manifest;
import dev.jrun.linux.Flock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The content-addressed image store under a data root (default /var/lib/jrun):
 * <pre>
 *   blobs/sha256/HEX       manifests, configs, compressed layers, by digest
 *   snapshots/sha256/HEX   each layer unpacked once, keyed by its diff_id (an overlayfs lower dir)
 *   images.json            names -> manifests (the catalog)
 *   mounts/HASH.json       bundles whose rootfs is an overlay of snapshots (kept from prune)
 *   tmp/                   blobs and snapshots being written
 *   store.lock             shared by every reader and writer of content; exclusive for prune
 * </pre>
 * Content is added without the exclusive lock (writers never overwrite what another wrote with
 * different bytes: a name is its digest), so pulls run in parallel; prune waits for them.
 */
public final class ImageStore {

    private final Path root;
    private final BlobStore blobs;
    private final Snapshots snapshots;
    private final Catalog catalog;
    private final RootfsMounts mounts;

    private ImageStore(Path root) {
        this.root = root;
        this.blobs = new BlobStore(root);
        this.snapshots = new Snapshots(root);
        this.catalog = new Catalog(root);
        this.mounts = new RootfsMounts(root, snapshots);
    }

    /** Opens (creating, mode 0700) the store at {@code dataRoot}. */
    public static ImageStore open(Path dataRoot) throws IOException {
        Path r = dataRoot.toAbsolutePath().normalize();
        if (!Files.isDirectory(r)) {
            Files.createDirectories(r);
            Files.setPosixFilePermissions(r, PosixFilePermissions.fromString("rwx------"));
        }
        for (String d : List.of("blobs", "snapshots", "tmp", "mounts")) Files.createDirectories(r.resolve(d));
        return new ImageStore(r);
    }

    public Path root() {
        return root;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public Snapshots snapshots() {
        return snapshots;
    }

    public RootfsMounts mounts() {
        return mounts;
    }

    /** A shared hold on the store's content: prune cannot remove anything while it is held. */
    public Flock readLock() {
        return Flock.shared(root.resolve("store.lock").toString());
    }

    public List<StoredImage> images() throws IOException {
        return catalog.read();
    }

    /**
     * The image a user names: a reference ({@code busybox}, {@code host/repo:tag}, {@code
     * ...@sha256:...}), an image id (the config digest, or a prefix of at least 4 hex digits),
     * or a manifest digest. Null if nothing matches; an ambiguous id prefix is an error.
     */
    public StoredImage find(String what) throws IOException {
        List<StoredImage> all = catalog.read();
        String normalized = null;
        try {
            normalized = ImageRef.parse(what).toString();
        } catch (ImageException e) {
            // not a reference: maybe an id
        }
        for (StoredImage i : all) if (i.name().equals(what) || i.name().equals(normalized)) return i;
        String hex = what.startsWith("sha256:") ? what.substring(7) : what;
        if (hex.length() < 4 || !hex.matches("[0-9a-f]+")) return null;
        StoredImage match = null;
        for (StoredImage i : all) {
            boolean hit = i.manifestDigest().hex().startsWith(hex) || configDigest(i).hex().startsWith(hex);
            if (!hit) continue;
            if (match != null && !match.manifest().digest().equals(i.manifest().digest()))
                throw new ImageException("image id prefix \"" + what + "\" is ambiguous");
            match = i;
        }
        return match;
    }

    /** Like {@link #find}, but a missing image is an error naming the reference. */
    public StoredImage get(String what) throws IOException {
        StoredImage i = find(what);
        if (i == null) throw new ImageException("image \"" + what + "\" is not in the store " + root + " (jrun image ls lists it)");
        return i;
    }

    public Manifest manifest(StoredImage i) throws IOException {
        return ImageJson.MAPPER.readValue(blobs.read(i.manifestDigest()), Manifest.class);
    }

    /** The config a manifest names (callers have read the manifest already: it is not read again). */
    public ImageConfig config(Manifest m) throws IOException {
        return ImageJson.MAPPER.readValue(blobs.read(m.config().parsedDigest()), ImageConfig.class);
    }

    public Digest configDigest(StoredImage i) throws IOException {
        return manifest(i).config().parsedDigest();
    }

    /** Points {@code name} at {@code manifest} (which must already be in the blob store). */
    public StoredImage tag(String name, Descriptor manifest, String repoDigest) throws IOException {
        if (!blobs.has(manifest.parsedDigest())) throw new IllegalStateException("manifest not stored: " + manifest.digest());
        StoredImage img = new StoredImage(name, manifest, repoDigest, Instant.now().toString());
        catalog.update(list -> {
            list.removeIf(i -> i.name().equals(name));
            list.add(img);
            return list;
        });
        return img;
    }

    /** Removes the name {@code what} resolves to, then what no image references any more. */
    public StoredImage remove(String what) throws IOException {
        StoredImage img = get(what);
        catalog.update(list -> {
            list.removeIf(i -> i.name().equals(img.name()));
            return list;
        });
        prune();
        return img;
    }

    /**
     * Garbage collection, under the exclusive store lock (so no pull or unpack is half-way):
     * removes blobs no image references, snapshots neither an image nor a mounted bundle uses,
     * and what crashed writers left in tmp.
     */
    public PruneResult prune() throws IOException {
        try (Flock l = Flock.exclusive(root.resolve("store.lock").toString())) {
            java.util.Set<Digest> liveBlobs = new java.util.HashSet<>();
            java.util.Set<Digest> liveSnapshots = new java.util.HashSet<>(mounts.snapshotsInUse());
            for (StoredImage i : catalog.read()) {
                liveBlobs.add(i.manifestDigest());
                if (i.repoDigest() != null) liveBlobs.add(Digest.parse(i.repoDigest())); // the index, if stored
                Manifest m;
                try {
                    m = manifest(i);
                } catch (ImageException e) {
                    continue; // a catalog entry whose manifest is gone keeps nothing alive
                }
                liveBlobs.add(m.config().parsedDigest());
                for (Descriptor d : m.layers()) liveBlobs.add(d.parsedDigest());
                ImageConfig c = config(m);
                if (c.rootfs() != null && c.rootfs().diffIds() != null)
                    for (String id : c.rootfs().diffIds()) liveSnapshots.add(Digest.parse(id));
            }
            long freed = 0;
            List<Digest> removedBlobs = new ArrayList<>();
            for (Digest d : blobs.all()) {
                if (liveBlobs.contains(d)) continue;
                freed += blobs.size(d);
                blobs.delete(d);
                removedBlobs.add(d);
            }
            List<Digest> removedSnapshots = new ArrayList<>();
            for (Digest d : snapshots.all()) {
                if (liveSnapshots.contains(d)) continue;
                snapshots.delete(d);
                removedSnapshots.add(d);
            }
            Tree.deleteContents(root.resolve("tmp"));
            return new PruneResult(removedBlobs, removedSnapshots, freed);
        }
    }

    public record PruneResult(List<Digest> blobs, List<Digest> snapshots, long blobBytes) {}
}
