package dev.jrun.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The container process (config.md "process"). Shadows java.lang.Process inside this package;
 * import it explicitly elsewhere. Convenience methods avoid is/get prefixes because Jackson would
 * serialise them as extra properties.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Process(
        Boolean terminal,
        User user,
        List<String> args,
        List<String> env,
        String cwd,
        Capabilities capabilities,
        List<Rlimit> rlimits,
        Boolean noNewPrivileges,
        Integer oomScoreAdj,
        String apparmorProfile,
        String selinuxLabel) {

    /** Working directory; the spec requires it but "/" is the sensible default when absent. */
    public String cwdOrRoot() {
        return cwd == null ? "/" : cwd;
    }

    public boolean terminalEnabled() {
        return Boolean.TRUE.equals(terminal);
    }

    public boolean noNewPrivilegesEnabled() {
        return Boolean.TRUE.equals(noNewPrivileges);
    }
}
