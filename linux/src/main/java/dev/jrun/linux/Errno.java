package dev.jrun.linux;

import java.util.Map;

/** errno values of x86_64/aarch64 Linux (asm-generic numbering) and their names. */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
            EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            ENFILE = 23, EMFILE = 24, ENOTTY = 25, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29,
            EROFS = 30, EMLINK = 31, EPIPE = 32, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36,
            ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, EOPNOTSUPP = 95, EADDRINUSE = 98,
            ETIMEDOUT = 110, ECONNREFUSED = 111;

    private static final Map<Integer, String[]> NAMES = Map.ofEntries(
            e(EPERM, "EPERM", "Operation not permitted"), e(ENOENT, "ENOENT", "No such file or directory"),
            e(ESRCH, "ESRCH", "No such process"), e(EINTR, "EINTR", "Interrupted system call"),
            e(EIO, "EIO", "Input/output error"), e(ENXIO, "ENXIO", "No such device or address"),
            e(E2BIG, "E2BIG", "Argument list too long"), e(ENOEXEC, "ENOEXEC", "Exec format error"),
            e(EBADF, "EBADF", "Bad file descriptor"), e(ECHILD, "ECHILD", "No child processes"),
            e(EAGAIN, "EAGAIN", "Resource temporarily unavailable"), e(ENOMEM, "ENOMEM", "Cannot allocate memory"),
            e(EACCES, "EACCES", "Permission denied"), e(EFAULT, "EFAULT", "Bad address"),
            e(EBUSY, "EBUSY", "Device or resource busy"), e(EEXIST, "EEXIST", "File exists"),
            e(EXDEV, "EXDEV", "Invalid cross-device link"), e(ENODEV, "ENODEV", "No such device"),
            e(ENOTDIR, "ENOTDIR", "Not a directory"), e(EISDIR, "EISDIR", "Is a directory"),
            e(EINVAL, "EINVAL", "Invalid argument"), e(ENFILE, "ENFILE", "Too many open files in system"),
            e(EMFILE, "EMFILE", "Too many open files"), e(ENOTTY, "ENOTTY", "Inappropriate ioctl for device"),
            e(ETXTBSY, "ETXTBSY", "Text file busy"), e(EFBIG, "EFBIG", "File too large"),
            e(ENOSPC, "ENOSPC", "No space left on device"), e(ESPIPE, "ESPIPE", "Illegal seek"),
            e(EROFS, "EROFS", "Read-only file system"), e(EMLINK, "EMLINK", "Too many links"),
            e(EPIPE, "EPIPE", "Broken pipe"), e(ERANGE, "ERANGE", "Numerical result out of range"),
            e(EDEADLK, "EDEADLK", "Resource deadlock avoided"), e(ENAMETOOLONG, "ENAMETOOLONG", "File name too long"),
            e(ENOSYS, "ENOSYS", "Function not implemented"), e(ENOTEMPTY, "ENOTEMPTY", "Directory not empty"),
            e(ELOOP, "ELOOP", "Too many levels of symbolic links"), e(ENODATA, "ENODATA", "No data available"),
            e(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported"), e(EADDRINUSE, "EADDRINUSE", "Address already in use"),
            e(ETIMEDOUT, "ETIMEDOUT", "Connection timed out"), e(ECONNREFUSED, "ECONNREFUSED", "Connection refused"));

    private static Map.Entry<Integer, String[]> e(int n, String name, String text) {
        return Map.entry(n, new String[] {name, text});
    }

    public static String name(int errno) {
        String[] v = NAMES.get(errno);
        return v == null ? "errno " + errno : v[0];
    }

    public static String describe(int errno) {
        String[] v = NAMES.get(errno);
        return v == null ? "unknown error" : v[1];
    }
}
