package dev.jrun.runtime;

import java.nio.file.Path;

/**
 * Options of `create` and `run`, as runc names them.
 *
 * @param bundle      the bundle folder (config.json + rootfs)
 * @param pidFile     where to write the init's pid, or null
 * @param noPivot     MS_MOVE + chroot instead of pivot_root (for ramfs roots)
 * @param preserveFds fds 3..3+N-1 passed on to the container
 */
public record CreateOptions(Path bundle, Path pidFile, boolean noPivot, int preserveFds) {
    public CreateOptions {
        if (preserveFds < 0) throw new JrunException("--preserve-fds must not be negative, got " + preserveFds);
    }
}
