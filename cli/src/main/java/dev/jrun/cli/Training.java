package dev.jrun.cli;

import dev.jrun.runtime.spec.ConfigLoader;
import dev.jrun.runtime.spec.DefaultSpec;
import dev.jrun.runtime.spec.SpecValidator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The AOT training run made at build time (-XX:AOTCacheOutput): exercises the CLI's parsing,
 * JSON and state code and loads every jrun class, so both the CLI and the container init start
 * from the cache with their classes already parsed and linked. Needs no root and runs no
 * container.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out, err = System.err;
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Path tmp = Files.createTempDirectory("jrun-training");
        try {
            System.setOut(sink);
            System.setErr(sink);
            String root = tmp.resolve("state").toString();
            Main.execute("--help");
            Main.execute("--version");
            Main.execute("--root", root, "list");
            Main.execute("--root", root, "list", "--format", "json");
            Main.execute("--root", root, "state", "training");
            Main.execute("--root", root, "kill", "training", "KILL");
            Main.execute("--root", root, "delete", "--force", "training");
            Main.execute("features");
            Main.execute("spec", "--bundle", tmp.toString());
            Main.execute("--root", root, "--log-format", "json", "run", "--bundle", tmp.toString(), "training");
            var spec = ConfigLoader.parse(DefaultSpec.json(), "config.json");
            SpecValidator.validate(spec, "config.json");
            ConfigLoader.mapper().readTree(ConfigLoader.toJson(spec));
            exerciseNative();
            exerciseStateStore(tmp.resolve("store"));
            exerciseImages(tmp.resolve("images"));
            loadAll();
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (var w = Files.walk(tmp)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Links every downcall handle (class initialisation of each binding class) and makes harmless
     * calls, so the FFM machinery and its generated classes land in the cache too.
     */
    private static void exerciseNative() throws Exception {
        for (String c : new String[] {"dev.jrun.linux.Libc", "dev.jrun.linux.Fds", "dev.jrun.linux.Spawn",
                "dev.jrun.linux.Syscall", "dev.jrun.linux.Creds", "dev.jrun.linux.Loopback"}) {
            Class.forName(c, true, Training.class.getClassLoader());
        }
        dev.jrun.linux.Libc.getpid();
        dev.jrun.linux.Creds.lastCap();
        dev.jrun.linux.Creds.gettid();
        dev.jrun.linux.Libc.statfsType("/");
        int[] pair = dev.jrun.linux.Fds.socketPair();
        var ch = new dev.jrun.runtime.init.SyncChannel(pair[0]);
        var peer = new dev.jrun.runtime.init.SyncChannel(pair[1]);
        var msg = ch.message("config");
        msg.put("config", new dev.jrun.runtime.init.InitConfig("t", "/b", "/b/rootfs", false,
                DefaultSpec.json(), "/x", "/x", true, "/f", 0, "{}"));
        ch.send(msg);
        var got = peer.receive();
        dev.jrun.runtime.json.RecordBinder.bind(got.get("config"), dev.jrun.runtime.init.InitConfig.class);
        ch.close();
        peer.close();
        int[] p = dev.jrun.linux.Fds.pipe(dev.jrun.linux.Fds.O_CLOEXEC);
        dev.jrun.linux.Fds.writeAll(p[1], "x");
        dev.jrun.linux.Fds.read(p[0], 16);
        dev.jrun.linux.Fds.close(p[0]);
        dev.jrun.linux.Fds.close(p[1]);
        // A spawn and a wait, as create and run do (no namespaces: this needs no root).
        int pid = dev.jrun.linux.Spawn.spawn(new dev.jrun.linux.Spawn.Request("/bin/true", java.util.List.of("true"),
                java.util.List.of(), java.util.Map.of(0, 0, 1, 1, 2, 2), 3, null, true));
        dev.jrun.linux.Libc.waitpid(pid, 0);
    }

    /** The state store's create, lock, write, read and remove, in a scratch root. */
    private static void exerciseStateStore(Path root) {
        var store = new dev.jrun.runtime.state.StateStore(root);
        try (var lock = store.createNew("training")) {
            var st = new dev.jrun.runtime.state.StoredState("training", 1, 1,
                    dev.jrun.runtime.state.Status.CREATED, "/b", "/b/rootfs", "now", "", java.util.Map.of("a", "b"),
                    "/sys/fs/cgroup", "/training", false, DefaultSpec.json());
            lock.write(st);
            lock.read().orElseThrow().spec();
            Json.indented(dev.jrun.runtime.state.StatusReader.view(st));
            lock.removeAll();
        }
    }

    /**
     * The image commands on a one-file image made here: import, ls, inspect, unpack --copy, rm,
     * and a pull from a local socket that speaks neither TLS nor a registry (the TLS attempt,
     * the fall-back to HTTP and the 404 path), so Jackson, the layer applier, inflate and the
     * HTTP and TLS classes start from the cache too. A step that needs root and fails is skipped.
     */
    private static void exerciseImages(Path dir) throws Exception {
        Path layout = TrainingImage.write(dir.resolve("layout"));
        String data = dir.resolve("data").toString();
        Main.execute("--data-root", data, "image", "import", "-q", layout.toString(), "--name", "localhost/training");
        Main.execute("--data-root", data, "image", "ls");
        Main.execute("--data-root", data, "image", "ls", "--format", "json");
        Main.execute("--data-root", data, "image", "inspect", "localhost/training");
        Main.execute("--data-root", data, "image", "unpack", "--copy", "localhost/training", dir.resolve("bundle").toString());
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            Thread answer = Thread.ofPlatform().daemon().start(() -> TrainingImage.answer404(server));
            var src = new dev.jrun.image.registry.RegistrySource(
                    dev.jrun.image.ImageRef.parse("127.0.0.1:" + server.getLocalPort() + "/training:1"),
                    dev.jrun.image.registry.RegistryOptions.defaults().withTlsVerify(false)
                            .withRetries(1, java.time.Duration.ZERO));
            try (src) {
                src.entries();
            } catch (RuntimeException | IOException expected) {
                // the 404: what was wanted is the way there
            }
            answer.interrupt();
        }
        Main.execute("--data-root", data, "image", "rm", "localhost/training");
        Main.execute("--data-root", data, "image", "prune");
    }

    /** Loads (without initialising) every class of jrun's own packages in the jar. */
    private static void loadAll() throws IOException, URISyntaxException {
        Path jar = Path.of(Training.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) return;
        ClassLoader cl = Training.class.getClassLoader();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jf.stream()::iterator) {
                String n = e.getName();
                if (!n.startsWith("dev/jrun/") || !n.endsWith(".class")) continue;
                try {
                    Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, cl);
                } catch (ClassNotFoundException | LinkageError ignored) {
                    // a class that cannot load here is simply left out of the cache
                }
            }
        }
    }
}
