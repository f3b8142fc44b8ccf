package dev.jrun.image.bundle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageJson;
import dev.jrun.image.oci.ImageConfig;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The bundle's config.json: jrun's default spec with the image config laid over it as the
 * image-spec's conversion.md maps it: Entrypoint+Cmd to args, Env merged by key (the image's
 * value wins), WorkingDir to cwd, User to numeric ids, Labels and the image's identity to
 * annotations (the generated ones win over a label of the same key), Volumes to bind mounts of
 * bundle directories; capabilities as the engines grant them (see IMAGE_CAPS). The root is writable: an image's rootfs is the bundle's own copy (or
 * overlay upper dir), as podman runs it.
 */
final class BundleConfig {
    static final String ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name";
    static final String ANNOTATION_MANIFEST_DIGEST = "dev.jrun.image.manifest.digest";

    private BundleConfig() {}

    /** A bind mount of a bundle directory over an image volume path. */
    record VolumeMount(String destination, String source) {}

    /** Whether the image names something to run (else the default spec's args stay). */
    static boolean hasCommand(ImageConfig image) {
        ImageConfig.Config c = image.config();
        return c != null && ((c.entrypoint() != null && !c.entrypoint().isEmpty()) || (c.cmd() != null && !c.cmd().isEmpty()));
    }

    static byte[] build(ObjectNode defaultSpec, ImageConfig image, UserResolver.User user, String name, Digest manifest,
                        List<VolumeMount> volumes) {
        ObjectNode spec = defaultSpec.deepCopy();
        ImageConfig.Config c = image.config() != null ? image.config()
                : new ImageConfig.Config(null, null, null, null, null, null, null, null, null);
        spec.withObject("/root").put("path", "rootfs").put("readonly", false);

        ObjectNode process = spec.withObject("/process");
        ObjectNode u = process.putObject("user");
        u.put("uid", user.uid()).put("gid", user.gid());
        if (!user.additionalGids().isEmpty()) {
            ArrayNode g = u.putArray("additionalGids");
            user.additionalGids().forEach(g::add);
        }
        capabilities(process, user.uid() == 0);
        if (hasCommand(image)) {
            ArrayNode args = process.putArray("args");
            if (c.entrypoint() != null) c.entrypoint().forEach(args::add);
            if (c.cmd() != null) c.cmd().forEach(args::add);
        }
        process.set("env", ImageJson.MAPPER.valueToTree(env(process, c.env(), user)));
        process.put("cwd", c.workingDir() == null || c.workingDir().isEmpty() ? "/" : c.workingDir());

        for (VolumeMount v : volumes) {
            ObjectNode m = spec.withArray("/mounts").addObject();
            m.put("destination", v.destination()).put("type", "bind").put("source", v.source());
            m.putArray("options").add("rbind").add("rw");
        }

        ObjectNode annotations = spec.withObject("/annotations");
        if (c.labels() != null) c.labels().forEach(annotations::put);
        putIfSet(annotations, "org.opencontainers.image.os", image.os());
        putIfSet(annotations, "org.opencontainers.image.architecture", image.architecture());
        putIfSet(annotations, "org.opencontainers.image.variant", image.variant());
        putIfSet(annotations, "org.opencontainers.image.author", image.author());
        putIfSet(annotations, "org.opencontainers.image.created", image.created());
        putIfSet(annotations, "org.opencontainers.image.stopSignal", c.stopSignal());
        if (c.exposedPorts() != null && !c.exposedPorts().isEmpty())
            annotations.put("org.opencontainers.image.exposedPorts", String.join(",", new TreeSet<>(c.exposedPorts().keySet())));
        annotations.put(ANNOTATION_REF_NAME, name);
        annotations.put(ANNOTATION_MANIFEST_DIGEST, manifest.toString());
        try {
            return ImageJson.PRETTY.writeValueAsBytes(spec);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The capability set podman and docker give a container from an image (containers.conf's
     * default_capabilities): runc's three are too few for everyday images (nginx needs to
     * chown, setuid and setgid). A non-root image user gets them only in the bounding set, as
     * in those engines, so it holds none unless it executes a file with capabilities.
     */
    static final List<String> IMAGE_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT");

    private static void capabilities(ObjectNode process, boolean root) {
        ObjectNode caps = process.putObject("capabilities");
        for (String set : new String[] {"bounding", "effective", "permitted", "ambient"}) {
            ArrayNode a = caps.putArray(set);
            if (root || set.equals("bounding")) IMAGE_CAPS.forEach(a::add);
        }
    }

    /** Default env, then the image's (same key: the image wins), then HOME if neither set it. */
    private static List<String> env(ObjectNode process, List<String> imageEnv, UserResolver.User user) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (process.has("env")) process.get("env").forEach(e -> put(merged, e.asText()));
        if (imageEnv != null) imageEnv.forEach(e -> put(merged, e));
        merged.putIfAbsent("HOME", "HOME=" + (user.home() != null && !user.home().isEmpty() ? user.home() : "/"));
        return new ArrayList<>(merged.values());
    }

    private static void put(Map<String, String> env, String entry) {
        int eq = entry.indexOf('=');
        env.put(eq < 0 ? entry : entry.substring(0, eq), entry);
    }

    private static void putIfSet(ObjectNode n, String key, String value) {
        if (value != null && !value.isEmpty()) n.put(key, value);
    }
}
