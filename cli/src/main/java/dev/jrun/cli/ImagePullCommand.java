package dev.jrun.cli;

import dev.jrun.image.ImageRef;
import dev.jrun.image.oci.ImageSource;
import dev.jrun.image.oci.Platform;
import dev.jrun.image.registry.RegistryOptions;
import dev.jrun.image.registry.RegistrySource;
import dev.jrun.image.store.Importer;
import dev.jrun.image.store.ImageStore;
import dev.jrun.image.store.StoredImage;
import dev.jrun.runtime.Timing;
import java.nio.file.Path;
import java.util.List;

/** `jrun image pull REF`: from a registry (distribution API v2) into the store; prints the image id. */
final class ImagePullCommand implements Command {
    @Override public String name() { return "pull"; }
    @Override public String usage() { return "REF"; }
    @Override public String description() { return "pull an image from a registry"; }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return 1; }

    @Override
    public List<Option> options() {
        return List.of(ImageSupport.PLATFORM, ImageSupport.QUIET,
                Option.flag("require HTTPS and a verified certificate (default true)", "tls-verify"),
                Option.value("FILE", "credentials file (default: containers' auth.json, then docker's config.json)", "authfile"),
                Option.value("DIR", "directory of CA certificates (*.crt) for the registry", "cert-dir"),
                Option.value("USER:PASSWORD", "credentials for the registry", "creds"));
    }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        ImageRef ref = ImageRef.parse(a.positionals.get(0));
        Platform platform = ImageSupport.platform(a); // a bad --platform fails before any network
        String tls = a.value("tls-verify", null);
        String authfile = a.value("authfile", null);
        String certDir = a.value("cert-dir", null);
        RegistryOptions opts = RegistryOptions.defaults()
                .withTlsVerify(tls == null ? null : Boolean.valueOf(tls))
                .withAuthFile(authfile == null ? null : Path.of(authfile))
                .withCertDir(certDir == null ? null : Path.of(certDir))
                .withCredentials(a.value("creds", null));
        ImageStore store = ImageSupport.store(g);
        try (ImageSource src = new RegistrySource(ref, opts)) {
            ImageSource.Entry e = src.entries().get(0);
            Timing.mark("pull: " + ref + " resolves to " + e.descriptor().digest());
            StoredImage img = new Importer(store, ImageSupport.progress(a))
                    .importImage(src, e, ref.toString(), platform, ref.toString());
            Timing.mark("pull: stored");
            System.out.println(store.configDigest(img).hex());
        }
        return 0;
    }
}
