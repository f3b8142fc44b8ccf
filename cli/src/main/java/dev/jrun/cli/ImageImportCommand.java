package dev.jrun.cli;

import dev.jrun.image.ImageException;
import dev.jrun.image.ImageRef;
import dev.jrun.image.oci.DockerArchiveSource;
import dev.jrun.image.oci.ImageSource;
import dev.jrun.image.oci.OciLayoutSource;
import dev.jrun.image.oci.Platform;
import dev.jrun.image.store.ImageStore;
import dev.jrun.image.store.Importer;
import dev.jrun.image.store.StoredImage;
import dev.jrun.runtime.JrunException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * `jrun image import PATH [--name NAME]`: every image of an OCI layout directory or a
 * docker-archive tarball. A ref.name that is a full reference is kept; a bare tag T becomes
 * NAME:T, NAME defaulting to the directory's or file's base name.
 */
final class ImageImportCommand implements Command {
    @Override public String name() { return "import"; }
    @Override public String usage() { return "PATH"; }
    @Override public String description() { return "import the images of an OCI layout directory or a docker-archive tarball"; }
    @Override public int minArgs() { return 1; }
    @Override public int maxArgs() { return 1; }

    @Override
    public List<Option> options() {
        return List.of(Option.value("NAME", "repository for images named only by a tag (default: PATH's base name)", "name"),
                ImageSupport.PLATFORM, ImageSupport.QUIET);
    }

    @Override
    public int run(Globals g, ParsedArgs a) throws Exception {
        Path path = Path.of(a.positionals.get(0)).toAbsolutePath().normalize();
        if (!Files.exists(path)) throw new JrunException("image import: " + path + " does not exist");
        String base = a.value("name", null);
        if (base == null) base = defaultName(path);
        validateName(base, a.value("name", null) != null);
        Platform platform = ImageSupport.platform(a);
        ImageStore store = ImageSupport.store(g);
        try (ImageSource src = Files.isDirectory(path) ? OciLayoutSource.open(path) : DockerArchiveSource.open(path)) {
            List<ImageSource.Entry> entries = src.entries();
            if (entries.isEmpty()) throw new JrunException("image import: " + path + " holds no image");
            long unnamed = entries.stream().filter(e -> e.name() == null || e.name().isEmpty()).count();
            Importer importer = new Importer(store, ImageSupport.progress(a));
            for (ImageSource.Entry e : entries) {
                String name = nameFor(e, base, unnamed);
                StoredImage img = importer.importImage(src, e, name, platform, name + " from " + path);
                System.out.println(img.name() + " " + store.configDigest(img).hex());
            }
        }
        return 0;
    }

    /** The store name of one entry: its full reference, NAME:TAG, or NAME:latest / NAME@digest. */
    static String nameFor(ImageSource.Entry e, String base, long unnamed) {
        String n = e.name();
        if (n == null || n.isEmpty()) {
            return unnamed == 1 ? ImageRef.parse(base).withTag("latest").toString()
                    : ImageRef.parse(base).withDigest(e.descriptor().parsedDigest()).toString();
        }
        if (n.contains("/") || n.contains(":") || n.contains("@")) {
            try {
                return ImageRef.parse(n).toString();
            } catch (ImageException ex) {
                throw new JrunException("image import: ref.name \"" + n + "\" is not a valid reference: " + ex.getMessage());
            }
        }
        try {
            return ImageRef.parse(base + ":" + n).toString();
        } catch (ImageException ex) {
            throw new JrunException("image import: tag \"" + n + "\" is not a valid tag: " + ex.getMessage());
        }
    }

    private static String defaultName(Path path) {
        String n = path.getFileName() == null ? "image" : path.getFileName().toString();
        for (String ext : List.of(".tar.gz", ".tgz", ".tar")) {
            if (n.endsWith(ext)) n = n.substring(0, n.length() - ext.length());
        }
        return n.toLowerCase(java.util.Locale.ROOT);
    }

    private static void validateName(String base, boolean given) {
        try {
            ImageRef r = ImageRef.parse(base);
            if (r.digest() != null || !base.equals(base.replaceFirst(":[^/]*$", "")))
                throw new ImageException("a name has no tag or digest");
        } catch (ImageException e) {
            throw new JrunException("image import: " + (given ? "--name " : "the default name ") + "\"" + base
                    + "\" is not a repository name (" + e.getMessage() + ")" + (given ? "" : "; give one with --name"));
        }
    }
}
