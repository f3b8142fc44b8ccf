package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.runtime.spec.ConfigLoader;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the jrun executable as engines do: a separate process with its own --root, stdin from
 * /dev/null, stdout/stderr into files (not pipes: a detached container inherits jrun's stdio and
 * would keep a pipe open forever), and a timeout after which the process is SIGKILLed by pid.
 */
final class Jrun {
    static final Duration TIMEOUT = Duration.ofSeconds(40);

    private static final AtomicInteger CALLS = new AtomicInteger();

    private final Path root;
    private final Path outputDir;
    private final List<Started> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code root} is this test's --root; {@code outputDir} receives the captured output files. */
    Jrun(Path root, Path outputDir) {
        this.root = root;
        this.outputDir = outputDir;
    }

    Path root() {
        return root;
    }

    /** The repository root: surefire passes jrun.repo; otherwise search upwards from the cwd. */
    static Path repo() {
        String p = System.getProperty("jrun.repo");
        if (p != null && !p.isBlank()) return Path.of(p).toAbsolutePath();
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("jrun")) && Files.isDirectory(d.resolve("cli"))) return d;
        }
        throw new IllegalStateException("cannot find the jrun repository; set -Djrun.repo=...");
    }

    /** The executable under test: -Djrun.bin, by default ${jrun.repo}/jrun. */
    static Path executable() {
        String p = System.getProperty("jrun.bin");
        if (p != null && !p.isBlank()) return Path.of(p).toAbsolutePath();
        return repo().resolve("jrun");
    }

    /** {@code jrun --root ROOT args...} with the default timeout. */
    Result call(String... args) {
        return callWithin(TIMEOUT, args);
    }

    Result callWithin(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable().toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(Arrays.asList(args));
        return exec(cmd, timeout);
    }

    /** {@code jrun args...} exactly as given (no --root added): for global-flag tests. */
    Result callRaw(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable().toString());
        cmd.addAll(Arrays.asList(args));
        return exec(cmd, TIMEOUT);
    }

    /** Any command line (e.g. bash wrapping jrun to open extra fds), same capture and timeout. */
    Result exec(List<String> command, Duration timeout) {
        Started s = start(command);
        return s.await(timeout);
    }

    /** Starts {@code jrun --root ROOT args...} without waiting (to kill it mid-way, or run in parallel). */
    Started startCall(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable().toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(Arrays.asList(args));
        return start(cmd);
    }

    Started start(List<String> command) {
        int n = CALLS.incrementAndGet();
        Path out = outputDir.resolve("call-" + n + ".out");
        Path err = outputDir.resolve("call-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        try {
            Started s = new Started(command, pb.start(), out, err);
            started.add(s);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Kills (SIGKILL, by pid) every command this instance started that is still running; returns them. */
    List<Started> killStragglers() {
        List<Started> killed = new ArrayList<>();
        for (Started s : started) {
            if (s.process.isAlive()) {
                s.kill9();
                killed.add(s);
            }
        }
        return killed;
    }

    /** A started command; {@link #await} collects its result. */
    static final class Started {
        final List<String> command;
        final Process process;
        private final Path out;
        private final Path err;

        Started(List<String> command, Process process, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        long pid() {
            return process.pid();
        }

        /**
         * What has been written to the command's stdout so far: after `create` exits, the
         * container it made keeps writing to the same file (it inherited jrun's stdio).
         */
        String stdoutNow() {
            return Host.read(out);
        }

        String stderrNow() {
            return Host.read(err);
        }

        /** Waits; on timeout kills the process (by its pid, SIGKILL) and fails the test. */
        Result await(Duration timeout) {
            boolean done;
            try {
                done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted while waiting for " + command, e);
            }
            if (!done) {
                process.destroyForcibly(); // SIGKILL to exactly this pid
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s (killed pid " + pid() + "): "
                        + result(-1));
            }
            return result(process.exitValue());
        }

        /** Kills the process with SIGKILL (its pid only) and reaps it. */
        void kill9() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Result result(int exit) {
            try {
                return new Result(command, exit, Files.readString(out), Files.readString(err));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What a jrun call did. */
    record Result(List<String> command, int exit, String out, String err) {
        private static final Pattern TEXT_ERROR = Pattern.compile("level=error msg=(\"(?:[^\"\\\\]|\\\\.)*\")");

        boolean ok() {
            return exit == 0;
        }

        /** The msg of every {@code level=error} line on stderr (runc's logrus text format). */
        List<String> errorMessages() {
            List<String> msgs = new ArrayList<>();
            Matcher m = TEXT_ERROR.matcher(err);
            while (m.find()) {
                try {
                    msgs.add(ConfigLoader.mapper().readValue(m.group(1), String.class));
                } catch (IOException e) {
                    msgs.add(m.group(1));
                }
            }
            return msgs;
        }

        /** All error messages joined, for substring checks. */
        String errorText() {
            return String.join("\n", errorMessages());
        }

        Result assertOk() {
            if (exit != 0) throw new AssertionError("expected exit 0: " + this);
            return this;
        }

        /**
         * runc's error contract: exit status 1 and a {@code level=error msg="..."} line on stderr
         * whose message contains every fragment (case-insensitive).
         */
        Result assertError(String... fragments) {
            if (exit != 1) throw new AssertionError("expected exit 1: " + this);
            List<String> msgs = errorMessages();
            if (msgs.isEmpty()) throw new AssertionError("expected a level=error line on stderr: " + this);
            String all = errorText().toLowerCase();
            for (String f : fragments) {
                if (!all.contains(f.toLowerCase())) {
                    throw new AssertionError("expected the error message to mention '" + f + "': " + this);
                }
            }
            return this;
        }

        JsonNode json() {
            try {
                return ConfigLoader.mapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return "`" + String.join(" ", command) + "` exit=" + exit + "\n--- stdout ---\n" + out
                    + "\n--- stderr ---\n" + err;
        }
    }
}
