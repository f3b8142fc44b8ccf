package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.runtime.spec.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The busybox test bundle: built once per JVM (the build script is itself a no-op when its
 * inputs are unchanged) into ${jrun.repo}/.cache/busybox-bundle, then copied with `cp -a` for
 * each test so a test can edit its own config.json and rootfs.
 */
final class Bundles {
    private static Path base;

    private Bundles() {}

    static synchronized Path base() {
        if (base == null) {
            Path repo = Jrun.repo();
            Path out = repo.resolve(".cache/busybox-bundle");
            Host.Cmd r = Host.run(Duration.ofMinutes(5), "bash",
                    repo.resolve("test-images/busybox-bundle.sh").toString(), out.toString());
            if (r.exit() != 0) throw new AssertionError("cannot build the busybox bundle: " + r);
            base = out;
        }
        return base;
    }

    /** A private copy of the busybox bundle at {@code dir} (which must not exist yet). */
    static Bundle copyTo(Path dir) {
        Host.Cmd r = Host.run(Duration.ofMinutes(1), "cp", "-a", base().toString(), dir.toString());
        if (r.exit() != 0) throw new AssertionError("cannot copy the bundle: " + r);
        return new Bundle(dir);
    }

    /** A bundle directory and its config.json as an editable tree; {@link #save} writes it. */
    static final class Bundle {
        final Path dir;
        final ObjectNode config;

        Bundle(Path dir) {
            this.dir = dir;
            try {
                this.config = (ObjectNode) ConfigLoader.mapper().readTree(dir.resolve("config.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path rootfs() {
            return dir.resolve(config.path("root").path("path").asText("rootfs"));
        }

        ObjectNode process() {
            return (ObjectNode) config.get("process");
        }

        ObjectNode linux() {
            return config.withObject("/linux");
        }

        ArrayNode mounts() {
            return config.withArray("/mounts");
        }

        ObjectNode hooks() {
            return config.withObject("/hooks");
        }

        String cgroupsPath() {
            return linux().path("cgroupsPath").asText(null);
        }

        Bundle args(String... args) {
            ArrayNode a = process().putArray("args");
            for (String s : args) a.add(s);
            return this;
        }

        /** process.args = sh -c SCRIPT: most tests run several checks in one container. */
        Bundle sh(String script) {
            return args("sh", "-c", script);
        }

        Bundle addEnv(String... entries) {
            ArrayNode env = process().withArray("/env");
            for (String e : entries) env.add(e);
            return this;
        }

        Bundle readonlyRoot(boolean ro) {
            config.withObject("/root").put("readonly", ro);
            return this;
        }

        /** Appends a mount; options may be empty. */
        ObjectNode addMount(String destination, String type, String source, String... options) {
            ObjectNode m = mounts().addObject();
            m.put("destination", destination);
            if (type != null) m.put("type", type);
            if (source != null) m.put("source", source);
            if (options.length > 0) {
                ArrayNode o = m.putArray("options");
                for (String s : options) o.add(s);
            }
            return m;
        }

        /** Appends a hook of the given kind running {@code /bin/sh -c script} (optional timeout). */
        ObjectNode addHook(String kind, String script, Integer timeoutSeconds) {
            ObjectNode h = hooks().withArray("/" + kind).addObject();
            h.put("path", "/bin/sh");
            h.putArray("args").add("sh").add("-c").add(script);
            h.putArray("env").add("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
            if (timeoutSeconds != null) h.put("timeout", timeoutSeconds);
            return h;
        }

        /** Replaces the namespace entry of {@code type} (or adds it), optionally with a path to join. */
        Bundle namespace(String type, String path) {
            ArrayNode nss = linux().withArray("/namespaces");
            for (int i = nss.size() - 1; i >= 0; i--) {
                if (type.equals(nss.get(i).path("type").asText())) nss.remove(i);
            }
            ObjectNode ns = nss.addObject().put("type", type);
            if (path != null) ns.put("path", path);
            return this;
        }

        List<String> namespaceTypes() {
            return linux().withArray("/namespaces").valueStream().map(n -> n.path("type").asText()).toList();
        }

        void save() {
            try {
                Files.writeString(dir.resolve("config.json"),
                        ConfigLoader.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(config));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes a file into the rootfs (parents created), e.g. a marker the container must see. */
        Path writeRootfsFile(String pathInRootfs, String content) {
            Path p = rootfs().resolve(pathInRootfs.replaceFirst("^/+", ""));
            try {
                Files.createDirectories(p.getParent());
                Files.writeString(p, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p;
        }
    }
}
