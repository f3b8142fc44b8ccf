package dev.jrun.image.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.layer.LayerApplier;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageConfig;
import dev.jrun.image.oci.Manifest;
import dev.jrun.image.store.ImageStore;
import dev.jrun.image.store.RootfsMounts;
import dev.jrun.image.store.StoredImage;
import dev.jrun.image.store.Tree;
import dev.jrun.linux.Flock;
import dev.jrun.linux.LinuxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes a runnable OCI bundle from a stored image: {@code rootfs} plus {@code config.json}.
 * By default the rootfs is an overlayfs of the image's layer snapshots (each layer unpacked
 * once for every bundle and image that shares it) with the bundle's own upper dir; with
 * {@code copy}, or where the kernel refuses overlayfs, the layers are applied one over the
 * other into a plain directory, as umoci unpack does. A failure leaves no bundle behind.
 */
public final class BundleMaker {
    private BundleMaker() {}

    public record Result(Path bundle, boolean overlay) {}

    public static Result make(ImageStore store, StoredImage image, Path bundleDir, ObjectNode defaultSpec, boolean copy,
                              Consumer<String> warn) throws IOException {
        Path bundle = bundleDir.toAbsolutePath().normalize();
        boolean created = !Files.exists(bundle);
        if (!created) {
            if (!Files.isDirectory(bundle)) throw new ImageException("bundle directory " + bundle + " is not a directory");
            try (var s = Files.list(bundle)) {
                if (s.findAny().isPresent()) throw new ImageException("bundle directory " + bundle + " is not empty");
            }
        }
        Files.createDirectories(bundle);
        boolean mounted = false;
        boolean ok = false;
        try (Flock l = store.readLock()) {
            Manifest m = store.manifest(image);
            ImageConfig config = store.config(m);
            List<Digest> diffIds = new ArrayList<>();
            for (String d : config.rootfs().diffIds()) diffIds.add(Digest.parse(d));
            if (diffIds.size() != m.layers().size())
                throw new ImageException(image.name() + ": config lists " + diffIds.size() + " diff_ids for " + m.layers().size() + " layers");
            Path rootfs = bundle.resolve("rootfs");
            if (!copy) {
                for (int i = 0; i < diffIds.size(); i++) {
                    Descriptor layer = m.layers().get(i);
                    store.snapshots().ensure(diffIds.get(i), () -> store.blobs().open(layer.parsedDigest()), what(image, i, m));
                }
                try {
                    store.mounts().mount(bundle, diffIds);
                    mounted = true;
                } catch (LinuxException e) {
                    warn.accept("overlayfs is not available here (" + e.getMessage() + "): copying the layers instead");
                    Tree.delete(bundle.resolve(RootfsMounts.PRIVATE_DIR));
                }
            }
            if (!mounted) {
                Files.createDirectories(rootfs);
                for (int i = 0; i < diffIds.size(); i++) {
                    LayerApplier.Result r;
                    try (InputStream in = store.blobs().open(m.layers().get(i).parsedDigest())) {
                        r = LayerApplier.apply(in, rootfs, LayerApplier.Mode.FLATTEN);
                    } catch (ImageException e) {
                        throw new ImageException(what(image, i, m) + ": " + e.getMessage(), e);
                    }
                    if (!r.diffId().equals(diffIds.get(i)))
                        throw new ImageException(what(image, i, m) + ": uncompressed content is " + r.diffId()
                                + " but the image config's diff_id is " + diffIds.get(i));
                }
            }
            ImageConfig.Config c = config.config();
            UserResolver.User user;
            List<BundleConfig.VolumeMount> volumes;
            try {
                user = UserResolver.resolve(rootfs, c == null ? null : c.user());
                volumes = ImageVolumes.create(bundle, rootfs, c == null ? null : c.volumes());
            } catch (ImageException e) {
                throw new ImageException("image " + image.name() + ": " + e.getMessage(), e);
            }
            if (!BundleConfig.hasCommand(config))
                warn.accept("image " + image.name() + " has no Entrypoint or Cmd: the bundle runs the default spec's process");
            byte[] json = BundleConfig.build(defaultSpec, config, user, image.name(), image.manifestDigest(), volumes);
            Files.write(bundle.resolve("config.json"), json);
            ok = true;
            return new Result(bundle, mounted);
        } finally {
            if (!ok) {
                if (mounted) {
                    try {
                        store.mounts().unmount(bundle);
                    } catch (RuntimeException | IOException e) {
                        warn.accept("cannot unmount " + bundle.resolve("rootfs") + ": " + e.getMessage());
                    }
                }
                if (created) Tree.delete(bundle);
                else Tree.deleteContents(bundle);
            }
        }
    }

    private static String what(StoredImage image, int i, Manifest m) {
        return "image " + image.name() + " layer " + (i + 1) + "/" + m.layers().size() + " (" + m.layers().get(i).digest() + ")";
    }
}
