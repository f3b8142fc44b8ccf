package dev.jrun.image.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI image layout directory (image-spec image-layout.md): {@code oci-layout},
 * {@code index.json} whose entries are the images (named by the ref.name annotation), and
 * {@code blobs/ALG/HEX}. A blob path is built from a validated digest only, so a descriptor can
 * never name a file outside blobs/; a blob that is a symlink is refused.
 */
public final class OciLayoutSource implements ImageSource {
    private final Path dir;
    private final ImageIndex index;

    private OciLayoutSource(Path dir, ImageIndex index) {
        this.dir = dir;
        this.index = index;
    }

    public static OciLayoutSource open(Path dir) throws IOException {
        Path layout = dir.resolve("oci-layout");
        JsonNode version;
        try {
            version = ImageJson.MAPPER.readTree(Files.readAllBytes(layout)).get("imageLayoutVersion");
        } catch (NoSuchFileException e) {
            throw new ImageException(dir + " is not an OCI image layout: it has no oci-layout file");
        } catch (IOException e) {
            throw new ImageException(layout + " is not valid JSON: " + e.getMessage(), e);
        }
        if (version == null || !version.asText().startsWith("1."))
            throw new ImageException(layout + ": unsupported imageLayoutVersion " + version + " (1.x is supported)");
        Path indexFile = dir.resolve("index.json");
        ImageIndex index;
        try {
            index = ImageJson.MAPPER.readValue(Files.readAllBytes(indexFile), ImageIndex.class);
        } catch (NoSuchFileException e) {
            throw new ImageException(dir + " is not an OCI image layout: it has no index.json");
        } catch (IOException e) {
            throw new ImageException(indexFile + " is not a valid image index: " + e.getMessage(), e);
        }
        return new OciLayoutSource(dir, index);
    }

    @Override
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        if (index.manifests() == null) return out;
        for (Descriptor d : index.manifests()) out.add(new Entry(d.annotation(ImageIndex.REF_NAME), d));
        return out;
    }

    @Override
    public InputStream open(Descriptor descriptor) throws IOException {
        Digest d = descriptor.parsedDigest();
        Path blob = dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
        if (Files.isSymbolicLink(blob)) throw new ImageException("blob " + d + " in layout " + dir + " is a symlink; refused");
        if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS))
            throw new ImageException("blob " + d + " is missing from the layout " + dir + " (" + blob + ")");
        return Files.newInputStream(blob);
    }
}
