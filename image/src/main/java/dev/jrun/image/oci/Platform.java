package dev.jrun.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jrun.image.ImageException;
import java.util.List;

/** An index entry's platform; {@code --platform os/arch[/variant]} parses into one. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Platform(
        String architecture,
        String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        String variant) {

    public static final Platform LINUX_AMD64 = new Platform("amd64", "linux", null, null, null);

    /** Parses {@code os/arch[/variant]}, as podman's --platform takes it. */
    public static Platform parse(String text) {
        String[] p = text.split("/", -1);
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty() || (p.length == 3 && p[2].isEmpty()))
            throw new ImageException("malformed platform \"" + text + "\" (expected os/arch[/variant], e.g. linux/amd64)");
        return new Platform(p[1], p[0], null, null, p.length == 3 ? p[2] : null);
    }

    /** Whether an index entry with platform {@code candidate} serves this wanted platform. */
    public boolean matches(Platform candidate) {
        if (candidate == null) return false;
        if (!os.equals(candidate.os) || !architecture.equals(candidate.architecture)) return false;
        return variant == null || variant.equals(candidate.variant);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
