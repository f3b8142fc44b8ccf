// Runs /bin/true containers from one long-lived JVM through jrun's library API
// (dev.jrun.runtime.Containers), to show what a container costs when the caller's JVM start-up
// is already paid (embedding, the cluster's host side). Prints per-container latency.
//
//   bench/library-run.sh [COUNT]     (builds the bundle and calls this file with the jar)
import dev.jrun.runtime.Containers;
import dev.jrun.runtime.CreateOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

public class LibraryRun {
    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Path root = Files.createTempDirectory("jrun-libbench");
        Containers containers = new Containers(root);
        long[] ms = new long[count];
        for (int i = -3; i < count; i++) { // three warm-up runs
            long t0 = System.nanoTime();
            int code = containers.run("lib-" + ProcessHandle.current().pid() + "-" + (i + 3),
                    new CreateOptions(bundle, null, false, 0), false);
            long t = (System.nanoTime() - t0) / 1_000;
            if (code != 0) throw new IllegalStateException("container exited with " + code);
            if (i >= 0) ms[i] = t;
        }
        Arrays.sort(ms);
        System.out.printf("library run of /bin/true, %d runs in one JVM: median %.1f ms, min %.1f ms, max %.1f ms%n",
                count, ms[count / 2] / 1000.0, ms[0] / 1000.0, ms[count - 1] / 1000.0);
        Files.delete(root);
    }
}
