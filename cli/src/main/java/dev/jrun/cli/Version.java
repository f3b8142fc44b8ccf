package dev.jrun.cli;

import dev.jrun.runtime.state.ContainerView;

/** `jrun --version`, in runc's layout. */
final class Version {
    private Version() {}

    static final String VERSION = "0.1.0";

    static String text() {
        return "jrun version " + VERSION + "\nspec: " + ContainerView.OCI_VERSION + "\njava: "
                + System.getProperty("java.version") + "\n";
    }
}
