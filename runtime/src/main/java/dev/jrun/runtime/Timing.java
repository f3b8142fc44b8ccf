package dev.jrun.runtime;

/**
 * Phase timestamps on stderr when JRUN_TIMING=1, for finding where start-up time goes
 * (bench/ times whole commands; this says which phase of one command the time went to).
 */
public final class Timing {
    private Timing() {}

    private static final boolean ON = "1".equals(System.getenv("JRUN_TIMING"));
    private static final long T0 = System.nanoTime();

    public static void mark(String phase) {
        // No printf: loading the formatter would itself cost more than the phases measured.
        if (ON) System.err.println("[timing] " + (System.nanoTime() - T0) / 100_000 / 10.0 + " ms " + phase);
    }
}
