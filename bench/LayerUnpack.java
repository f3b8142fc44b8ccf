// Unpacks one image layer with jrun's LayerApplier (dev.jrun.image.layer), for
// bench/layer-unpack.sh, which times it against GNU tar and umoci.
//
//   LayerUnpack LAYER TARGET            one unpack into TARGET (a fresh directory): the CLI case,
//                                       JVM start-up included when timed from outside
//   LayerUnpack LAYER TARGET_PARENT N   N unpacks in one JVM (into TARGET_PARENT/run-I, each removed
//                                       after); prints each and the median of the last N-2: the
//                                       library case, JIT warmed up
import dev.jrun.image.layer.LayerApplier;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

public class LayerUnpack {
    public static void main(String[] args) throws Exception {
        Path layer = Path.of(args[0]);
        if (args.length == 2) {
            unpack(layer, Files.createDirectories(Path.of(args[1])));
            return;
        }
        int n = Integer.parseInt(args[2]);
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            Path dir = Files.createDirectories(Path.of(args[1]).resolve("run-" + i));
            long t0 = System.nanoTime();
            LayerApplier.Result r = unpack(layer, dir);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("run " + i + ": " + ms[i] + " ms (" + r.entries() + " entries, " + r.bytes() + " bytes)");
            new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        }
        long[] warm = Arrays.copyOfRange(ms, Math.min(2, n - 1), n);
        Arrays.sort(warm);
        System.out.println("in one JVM, median of " + warm.length + " warm runs: " + warm[warm.length / 2] + " ms");
    }

    static LayerApplier.Result unpack(Path layer, Path dir) throws Exception {
        try (InputStream in = new FileInputStream(layer.toFile())) {
            return LayerApplier.apply(in, dir, LayerApplier.Mode.FLATTEN, w -> System.err.println("warning: " + w));
        }
    }
}
