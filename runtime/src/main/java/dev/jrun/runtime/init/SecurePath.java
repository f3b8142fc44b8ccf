package dev.jrun.runtime.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside a root directory the way the kernel would if the root were "/":
 * symlinks are followed but every absolute target and every ".." is clamped to the root, so a
 * hostile rootfs cannot point a mount destination outside itself (the securejoin rule).
 */
public final class SecurePath {
    private SecurePath() {}

    private static final int MAX_LINKS = 255;

    /** The host path of {@code unsafe} inside {@code root}; the result is always under root. */
    public static Path resolve(Path root, String unsafe) {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, unsafe);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!done.isEmpty()) done.removeLast();
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IllegalArgumentException("too many symbolic links resolving " + unsafe + " in " + root);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read symlink " + candidate + ": " + e.getMessage(), e);
                }
                if (target.startsWith("/")) done.clear();
                push(todo, target);
                continue;
            }
            done.addLast(part);
        }
        return join(root, done);
    }

    /**
     * The host path of {@code unsafe}'s last component, with only its parent resolved: for
     * creating, replacing or removing that entry itself, never what a symlink there points at.
     */
    public static Path resolveEntry(Path root, String unsafe) {
        Path clean = Path.of("/").resolve(unsafe).normalize();
        if (clean.getNameCount() == 0) return root;
        Path parent = clean.getParent() == null ? Path.of("/") : clean.getParent();
        return resolve(root, parent.toString()).resolve(clean.getFileName().toString());
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String s : parts) p = p.resolve(s);
        return p;
    }

    /** Creates the directory {@code target} (already resolved under root) and its parents. */
    public static void mkdirs(Path target) throws IOException {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) Files.createDirectories(target);
    }
}
