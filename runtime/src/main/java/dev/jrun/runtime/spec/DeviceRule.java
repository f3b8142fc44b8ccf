package dev.jrun.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** linux.resources.devices[]: a device cgroup allow/deny rule; null major/minor mean "all" (*). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
}
