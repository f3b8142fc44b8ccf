package dev.jrun.image.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageJson;
import dev.jrun.linux.Flock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The names in the store: {@code DATA/images.json}, a list of {@link StoredImage}. Every change
 * is a read-modify-write under an exclusive flock on {@code DATA/catalog.lock}, written to a
 * temporary file and renamed over the old one, so a reader sees the old list or the new one.
 */
final class Catalog {
    private final Path file;
    private final Path lock;

    Catalog(Path dataRoot) {
        this.file = dataRoot.resolve("images.json");
        this.lock = dataRoot.resolve("catalog.lock");
    }

    List<StoredImage> read() throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        }
        try {
            return ImageJson.MAPPER.readValue(data, new TypeReference<List<StoredImage>>() {});
        } catch (IOException e) {
            throw new ImageException("image catalog " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Applies {@code change} to the list atomically; returns the new list. */
    List<StoredImage> update(UnaryOperator<List<StoredImage>> change) throws IOException {
        try (Flock l = Flock.exclusive(lock.toString())) {
            List<StoredImage> next = change.apply(read());
            Path tmp = file.resolveSibling("images.json.tmp");
            Files.write(tmp, ImageJson.PRETTY.writeValueAsBytes(next));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return next;
        }
    }
}
