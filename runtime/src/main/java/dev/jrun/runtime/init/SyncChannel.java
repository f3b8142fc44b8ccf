package dev.jrun.runtime.init;

import dev.jrun.linux.Fds;
import dev.jrun.linux.LinuxException;
import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.json.JsonWriter;
import dev.jrun.runtime.json.MiniJson;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The socket between jrun and its init: one compact JSON object per line, each with a "type".
 * End of file means the other side died; the init exits on it, so a killed jrun leaves no init.
 * Plain maps and {@link MiniJson} rather than Jackson keep the init's start-up small.
 */
public final class SyncChannel implements AutoCloseable {
    private final int fd;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public SyncChannel(int fd) {
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    public Map<String, Object> message(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        return m;
    }

    public void send(Map<String, Object> msg) {
        Fds.writeAll(fd, JsonWriter.compact(msg) + "\n");
    }

    public void send(String type) {
        send(message(type));
    }

    /** The next message, or null at end of file. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> receive() {
        while (true) {
            byte[] buf = pending.toByteArray();
            for (int i = 0; i < buf.length; i++) {
                if (buf[i] == '\n') {
                    pending.reset();
                    pending.write(buf, i + 1, buf.length - i - 1);
                    try {
                        return (Map<String, Object>) MiniJson.parse(new String(buf, 0, i, java.nio.charset.StandardCharsets.UTF_8));
                    } catch (RuntimeException e) {
                        throw new JrunException("garbled message on the init socket: " + e.getMessage(), e);
                    }
                }
            }
            byte[] more;
            dev.jrun.runtime.Timing.mark("sync: read");
            try {
                more = Fds.read(fd, 65536);
            } catch (LinuxException e) {
                if (e.errno() == 104 /* ECONNRESET */) return null;
                throw e;
            }
            if (more.length == 0) return null;
            pending.writeBytes(more);
        }
    }

    /** Receives a message of the given type; an "error" message or EOF becomes an exception. */
    public Map<String, Object> expect(String type, String waitingFor) {
        Map<String, Object> m = receive();
        if (m == null) {
            throw new JrunException("the container init exited while " + waitingFor);
        }
        Object t = m.get("type");
        if ("error".equals(t)) throw new JrunException(String.valueOf(m.get("message")));
        if (!type.equals(t)) {
            throw new JrunException("unexpected message \"" + t + "\" from the init while " + waitingFor);
        }
        return m;
    }

    @Override
    public void close() {
        Fds.closeQuietly(fd);
    }
}
