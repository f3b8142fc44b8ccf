package dev.jrun.runtime;

import dev.jrun.runtime.spec.Resources;
import dev.jrun.runtime.spec.Spec;

/**
 * Until resource limits are implemented (cgroups issue), a config that asks for one fails
 * clearly instead of running unconstrained. Device rules are accepted: the defaults that every
 * engine sends deny what the container cannot reach anyway (see docs/ARCHITECTURE.md).
 */
final class ResourceGuard {
    private ResourceGuard() {}

    static void check(Spec spec) {
        if (spec.linux() == null || spec.linux().resources() == null) return;
        Resources r = spec.linux().resources();
        String what = null;
        if (r.memory() != null && (r.memory().limit() != null || r.memory().reservation() != null
                || r.memory().swap() != null)) what = "memory";
        else if (r.cpu() != null && (r.cpu().shares() != null || r.cpu().quota() != null || r.cpu().cpus() != null
                || r.cpu().mems() != null || r.cpu().idle() != null || r.cpu().burst() != null)) what = "cpu";
        else if (r.pids() != null && r.pids().limit() != null && r.pids().limit() > 0) what = "pids";
        else if (r.blockIO() != null) what = "blockIO";
        else if (r.hugepageLimits() != null && !r.hugepageLimits().isEmpty()) what = "hugepageLimits";
        else if (r.unified() != null && !r.unified().isEmpty()) what = "unified";
        else if (r.network() != null) what = "network";
        if (what != null) {
            throw new JrunException("config.json $.linux.resources." + what + ": resource limits are not"
                    + " implemented by jrun yet; remove the limit rather than run the container unconstrained");
        }
    }
}
