package dev.jrun.runtime.init;


/**
 * Entry point of the container init (`jrun init`, hidden). jrun starts it with posix_spawn in
 * the container's new namespaces; its sync socket is the fd named by _JRUN_SYNC_FD.
 */
public final class InitMain {
    private InitMain() {}

    public static final String SYNC_FD_ENV = "_JRUN_SYNC_FD";

    /** Ends the init at once (no shutdown hooks exist; Runtime.exit would set up JDK logging). */
    static void exit(int code) {
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    public static void main(String[] args) {
        dev.jrun.runtime.Timing.mark("init: main");
        // Non-dumpable while we are visible inside the container: no process in it may open our
        // /proc/PID/exe (the host's java) or our memory (the CVE-2019-5736 class). execve of the
        // container's program makes the process dumpable again, as it should be.
        try {
            dev.jrun.linux.Libc.prctl(dev.jrun.linux.Libc.PR_SET_DUMPABLE, 0, 0, 0, 0);
        } catch (RuntimeException e) {
            System.err.println("jrun init: cannot make the init non-dumpable: " + e.getMessage());
            InitMain.exit(1);
        }
        dev.jrun.linux.Creds.lastCap(); // a host fact, read before anything of the image is visible
        String fdText = System.getenv(SYNC_FD_ENV);
        if (fdText == null) {
            System.err.println("jrun init: not started by jrun (no " + SYNC_FD_ENV + ")");
            InitMain.exit(2);
        }
        SyncChannel sync = new SyncChannel(Integer.parseInt(fdText));
        try {
            var msg = sync.expect("config", "waiting for the container config");
            dev.jrun.runtime.Timing.mark("init: config received");
            InitConfig cfg = dev.jrun.runtime.json.RecordBinder.bind(msg.get("config"), InitConfig.class);
            dev.jrun.runtime.Timing.mark("init: config decoded");
            var spec = dev.jrun.runtime.spec.ConfigLoader.parse(cfg.config(), "config.json");
            dev.jrun.runtime.Timing.mark("init: spec parsed");
            new ContainerInit(cfg, spec, sync).run();
        } catch (Throwable e) {
            String text = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                var m = sync.message("error");
                m.put("message", text);
                sync.send(m);
            } catch (Throwable ignored) {
                System.err.println("jrun init: " + text);
            }
            InitMain.exit(1);
        }
    }
}
