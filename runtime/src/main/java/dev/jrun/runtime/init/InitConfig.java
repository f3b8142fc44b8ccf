package dev.jrun.runtime.init;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Everything the init needs, sent by jrun over the sync socket right after the spawn
 * (the init never re-reads config.json: both sides act on the same validated config).
 *
 * @param config          config.json's text, as jrun validated it
 * @param rootfs          absolute host path of the root filesystem
 * @param cgroupProcs     host path of the container cgroup's cgroup.procs (opened before pivot_root)
 * @param cgroupPath      the cgroup's path inside the hierarchy (for the cgroup mount without cgroupns)
 * @param newCgroupNs     whether the init unshares a cgroup namespace after joining the cgroup
 * @param execFifo        host path of the FIFO that `jrun start` opens
 * @param preserveFds     how many fds above stdio the container inherits (--preserve-fds)
 * @param stateJson       the OCI state for createContainer/startContainer hooks
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InitConfig(String id, String bundle, String rootfs, boolean noPivot, String config, String cgroupProcs,
                         String cgroupPath, boolean newCgroupNs, String execFifo, int preserveFds, String stateJson) {}
