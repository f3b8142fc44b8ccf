package dev.jrun.image.registry;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body that must be {@code expected} bytes long. A connection that breaks mid-blob
 * can look like a clean end of stream, or fail with a bare socket error; either way this
 * makes it an IOException that names the blob and says how far it got, which the importer
 * answers by fetching the blob again.
 */
final class LengthCheckedStream extends FilterInputStream {
    private final long expected;
    private final String what;
    private long seen;

    LengthCheckedStream(InputStream in, long expected, String what) {
        super(in);
        this.expected = expected;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = super.read();
        } catch (IOException e) {
            throw broken(e);
        }
        if (b < 0) checkEnd();
        else seen++;
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(buf, off, len);
        } catch (IOException e) {
            throw broken(e);
        }
        if (n < 0) checkEnd();
        else seen += n;
        return n;
    }

    private IOException broken(IOException e) {
        if (e instanceof java.io.InterruptedIOException) return e; // a cancelled pull, not a broken connection
        String why = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) if (t.getMessage() != null) why = t.getMessage();
        return new IOException(what + ": the connection broke after " + seen + " of " + expected + " bytes (" + why + ")", e);
    }

    @Override
    public long skip(long n) throws IOException {
        long k = super.skip(n);
        seen += k;
        return k;
    }

    private void checkEnd() throws EOFException {
        if (seen < expected)
            throw new EOFException(what + ": the connection ended after " + seen + " of " + expected + " bytes");
    }
}
