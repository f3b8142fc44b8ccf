package dev.jrun.runtime.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.json.JsonWriter;
import dev.jrun.runtime.json.MiniJson;
import dev.jrun.runtime.json.RecordBinder;
import dev.jrun.runtime.spec.ConfigLoader;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The state directory (--root, default /run/jrun): one folder per container holding state.json,
 * the exec FIFO and a lock file. Every command that changes a container holds its lock, so
 * concurrent commands on one container are serialised.
 */
public final class StateStore {
    /** runc's rule for container ids. */
    private static final Pattern ID = Pattern.compile("^[\\w+\\-.]+$");
    static final String STATE = "state.json";
    static final java.nio.file.attribute.FileAttribute<?> PRIVATE = java.nio.file.attribute.PosixFilePermissions
            .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    static final String LOCK = "lock";

    private final Path root;

    public StateStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public static void validateId(String id) {
        if (id == null || id.isEmpty()) throw new JrunException("container id cannot be empty");
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..") || id.length() > 1024) {
            throw new JrunException("invalid id format: " + id);
        }
    }

    public Path dir(String id) {
        return root.resolve(id);
    }

    /** Claims a new id: fails like runc when it is taken. */
    public Locked createNew(String id) {
        validateId(id);
        try {
            Files.createDirectories(root);
            Files.createDirectory(dir(id), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x")));
        } catch (FileAlreadyExistsException e) {
            throw new JrunException("container with given ID already exists");
        } catch (IOException e) {
            throw new JrunException("cannot create state directory " + dir(id) + ": " + e.getMessage(), e);
        }
        return lock(id);
    }

    /** Locks an existing container; fails with runc's message when it does not exist. */
    public Locked open(String id) {
        validateId(id);
        if (!Files.isDirectory(dir(id))) throw new JrunException("container does not exist");
        return lock(id);
    }

    private Locked lock(String id) {
        Path lockFile = dir(id).resolve(LOCK);
        FileChannel ch;
        try {
            ch = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PRIVATE);
        } catch (NoSuchFileException e) {
            throw new JrunException("container does not exist");
        } catch (IOException e) {
            throw new JrunException("cannot open " + lockFile + ": " + e.getMessage(), e);
        }
        try {
            FileLock lock = ch.lock();
            // A delete that held the lock before us removes the folder: then the id is gone.
            if (!Files.exists(lockFile)) {
                lock.release();
                ch.close();
                throw new JrunException("container does not exist");
            }
            return new Locked(id, dir(id), ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new JrunException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    /** The ids in the store, sorted. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) return ids;
        try (var s = Files.list(root)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> ID.matcher(n).matches())
                    .sorted().forEach(ids::add);
        } catch (IOException e) {
            throw new JrunException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return ids;
    }

    /** Reads a container's state without locking (for list); empty if absent or half-written. */
    public Optional<StoredState> peek(String id) {
        return readState(dir(id));
    }

    static Optional<StoredState> readState(Path dir) {
        String text;
        try {
            text = Files.readString(dir.resolve(STATE));
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(RecordBinder.bind(MiniJson.parse(text), StoredState.class));
        } catch (RuntimeException fast) {
            try {
                return Optional.of(mapper().readValue(text, StoredState.class));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    static ObjectMapper mapper() {
        return ConfigLoader.mapper();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do on a failure path
        }
    }

    /** A container's folder while this process holds its lock. */
    public static final class Locked implements AutoCloseable {
        private final String id;
        private final Path dir;
        private final FileChannel channel;

        Locked(String id, Path dir, FileChannel channel) {
            this.id = id;
            this.dir = dir;
            this.channel = channel;
        }

        public String id() {
            return id;
        }

        public Path dir() {
            return dir;
        }

        public Optional<StoredState> read() {
            return readState(dir);
        }

        /** Writes state.json atomically (temp file + rename), so readers never see half of it. */
        public void write(StoredState s) {
            Path tmp = dir.resolve(STATE + ".tmp");
            try {
                // 0600, as runc's: the state holds the whole config, environment secrets included.
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PRIVATE);
                Files.writeString(tmp, JsonWriter.compact(s));
                Files.move(tmp, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new JrunException("cannot write " + dir.resolve(STATE) + ": " + e.getMessage(), e);
            }
        }

        /** Removes the folder (the lock file last, while still held). */
        public void removeAll() {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (!p.getFileName().toString().equals(LOCK)) Files.deleteIfExists(p);
                }
                Files.deleteIfExists(dir.resolve(LOCK));
                Files.deleteIfExists(dir);
            } catch (NoSuchFileException e) {
                // already gone
            } catch (IOException e) {
                throw new JrunException("cannot remove state directory " + dir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            closeQuietly(channel);
        }
    }
}
