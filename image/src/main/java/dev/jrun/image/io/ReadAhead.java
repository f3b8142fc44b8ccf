package dev.jrun.image.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An InputStream whose source is read by a thread of its own, a bounded number of chunks ahead
 * of the reader, so producing the bytes (inflating a layer, receiving a blob from a socket)
 * overlaps what the reader does with them (hashing, writing files). The thread only touches the
 * source and its own buffers; it has ended when {@link #close} returns, and closing the source
 * is the reader's {@link #close} too.
 */
public final class ReadAhead extends InputStream {
    private record Chunk(byte[] data, int length, Throwable error) {}

    private static final Chunk END = new Chunk(null, -1, null);

    private final InputStream in;
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Chunk> full;
    private final Thread thread;
    private volatile boolean stop;
    private Chunk current;
    private int pos;
    private boolean ended;

    /** {@code chunks} buffers of {@code chunkSize} bytes; {@code name} names the thread. */
    public ReadAhead(InputStream in, int chunks, int chunkSize, String name) {
        this.in = in;
        this.free = new ArrayBlockingQueue<>(chunks);
        this.full = new ArrayBlockingQueue<>(chunks + 1);
        for (int i = 0; i < chunks; i++) free.add(new byte[chunkSize]);
        thread = Thread.ofPlatform().daemon().name(name).unstarted(this::produce);
        thread.start();
    }

    private void produce() {
        try {
            while (!stop) {
                byte[] b = free.take();
                int n = 0;
                while (n < b.length) {
                    int k = in.read(b, n, b.length - n);
                    if (k < 0) break;
                    n += k;
                }
                if (n > 0) full.put(new Chunk(b, n, null));
                if (n < b.length) {
                    full.put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed early
        } catch (Throwable t) {
            full.offer(new Chunk(null, -1, t));
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) return -1;
        if (len == 0) return 0;
        if (current == null || pos == current.length) {
            if (current != null) free.offer(current.data);
            current = null;
            Chunk c;
            try {
                c = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            if (c.error != null) {
                ended = true;
                if (c.error instanceof IOException io) throw io;
                if (c.error instanceof RuntimeException r) throw r;
                if (c.error instanceof Error err) throw err;
                throw new IOException(c.error);
            }
            if (c == END) {
                ended = true;
                return -1;
            }
            current = c;
            pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current.data, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        stop = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        in.close();
    }
}
