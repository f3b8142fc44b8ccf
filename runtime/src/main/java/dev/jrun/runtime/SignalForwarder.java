package dev.jrun.runtime;

import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.List;

/** Foreground `run`: signals sent to jrun go to the container's init, as runc forwards them. */
final class SignalForwarder {
    private static final String[] SIGNALS = {"INT", "TERM", "HUP", "USR1", "USR2", "WINCH"};

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private SignalForwarder() {}

    static SignalForwarder install(int pid) {
        SignalForwarder f = new SignalForwarder();
        for (String name : SIGNALS) {
            try {
                Signal sig = new Signal(name);
                SignalHandler old = Signal.handle(sig, s -> {
                    try {
                        Libc.kill(pid, s.getNumber());
                    } catch (LinuxException ignored) {
                        // the container is gone
                    }
                });
                f.signals.add(sig);
                f.previous.add(old);
            } catch (IllegalArgumentException ignored) {
                // the JVM keeps this signal for itself
            }
        }
        return f;
    }

    void uninstall() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                Signal.handle(signals.get(i), previous.get(i));
            } catch (IllegalArgumentException ignored) {
                // as above
            }
        }
    }
}
