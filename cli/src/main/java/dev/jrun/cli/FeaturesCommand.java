package dev.jrun.cli;

import dev.jrun.cgroups.CgroupMode;
import dev.jrun.linux.Creds;
import dev.jrun.runtime.init.MountOptions;
import dev.jrun.runtime.spec.CapabilityNames;
import dev.jrun.runtime.state.ContainerView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `features` (runtime-spec features.md): what this build and this host really support. */
final class FeaturesCommand implements Command {
    @Override public String name() { return "features"; }
    @Override public String usage() { return ""; }
    @Override public String description() { return "show the enabled features as JSON"; }
    @Override public List<Option> options() { return List.of(); }
    @Override public int minArgs() { return 0; }
    @Override public int maxArgs() { return 0; }

    @Override
    public int run(Globals g, ParsedArgs a) {
        g.configureLog();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ociVersionMin", "1.0.0");
        root.put("ociVersionMax", ContainerView.OCI_VERSION);
        root.put("hooks", List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"));
        root.put("mountOptions", MountOptions.known());
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", List.of("cgroup", "ipc", "mount", "network", "pid", "time", "uts"));
        int last = Creds.lastCap();
        linux.put("capabilities", CapabilityNames.all().stream().filter(c -> CapabilityNames.number(c) <= last).toList());
        CgroupMode mode = CgroupMode.detect();
        Map<String, Object> cg = new LinkedHashMap<>();
        cg.put("v1", false);
        cg.put("v2", mode != CgroupMode.LEGACY);
        cg.put("systemd", false);
        cg.put("systemdUser", false);
        cg.put("rdma", false);
        linux.put("cgroup", cg);
        linux.put("seccomp", Map.of("enabled", false));
        linux.put("apparmor", Map.of("enabled", false));
        linux.put("selinux", Map.of("enabled", false));
        linux.put("intelRdt", Map.of("enabled", false));
        linux.put("mountExtensions", Map.of("idmap", Map.of("enabled", false)));
        root.put("linux", linux);
        Map<String, Object> ann = new LinkedHashMap<>();
        ann.put("dev.jrun.version", Version.VERSION);
        ann.put("dev.jrun.cgroup.mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        root.put("annotations", ann);
        System.out.println(Json.indented(root));
        return 0;
    }
}
