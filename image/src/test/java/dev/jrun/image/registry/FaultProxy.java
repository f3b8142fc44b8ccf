package dev.jrun.image.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of a real registry that misbehaves on purpose. Each
 * request (one per connection: every answer says Connection: close) is numbered from 0 and
 * shown to a {@link Rule}, which lets it through, answers it with a status of its own, cuts the
 * registry's answer after some bytes of body, drops the connection, or redirects it. A TLS
 * ClientHello (the --tls-verify=false probe) is hung up on without counting as a request, as a
 * plain-HTTP server would fail it.
 */
final class FaultProxy implements AutoCloseable {
    sealed interface Action permits Pass, Status, Cut, Drop, Redirect {}

    record Pass() implements Action {}

    record Status(int code, Map<String, String> headers) implements Action {}

    /** The registry's status line and headers, then only {@code bodyBytes} of its body, then the connection closes. */
    record Cut(long bodyBytes) implements Action {}

    /** The connection closes without any answer. */
    record Drop() implements Action {}

    record Redirect(int code, String location) implements Action {}

    interface Rule {
        Action on(int index, Request request);
    }

    record Request(String method, String path, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static final Action PASS = new Pass();

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final int upstreamPort;
    private final ServerSocket server;
    private final AtomicInteger counter = new AtomicInteger();
    private final Thread acceptor;
    private volatile Rule rule = (i, r) -> PASS;

    FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = Thread.ofPlatform().daemon().name("fault-proxy").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    String host() {
        return "127.0.0.1:" + port();
    }

    /** A new rule, with request numbering and the request log starting again. */
    void rule(Rule r) {
        counter.set(0);
        requests.clear();
        rule = r;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            int first = in.read();
            if (first < 0 || first == 0x16) return; // EOF, or TLS: not our protocol
            byte[] head = readHead(in, first);
            if (head == null) return;
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            Request req = new Request(requestLine[0], requestLine[1], headers);
            requests.add(req);
            Action a = rule.on(counter.getAndIncrement(), req);
            OutputStream out = client.getOutputStream();
            switch (a) {
                case Drop d -> { }
                case Status s -> {
                    StringBuilder b = new StringBuilder("HTTP/1.1 " + s.code() + " Injected\r\n");
                    s.headers().forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
                    String body = "{\"errors\":[{\"code\":\"INJECTED\",\"message\":\"injected by the test proxy\"}]}";
                    b.append("Content-Type: application/json\r\nContent-Length: ").append(body.length())
                            .append("\r\nConnection: close\r\n\r\n").append(body);
                    out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
                }
                case Redirect r -> out.write(("HTTP/1.1 " + r.code() + " Redirect\r\nLocation: " + r.location()
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                case Pass p -> forward(lines, out, Long.MAX_VALUE);
                case Cut c -> forward(lines, out, c.bodyBytes());
            }
            out.flush();
        } catch (IOException e) {
            // the client went away: nothing to report
        }
    }

    /** The request to the registry with Connection: close, its answer back, the body cut after {@code limit} bytes. */
    private void forward(String[] lines, OutputStream out, long limit) throws IOException {
        try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            StringBuilder b = new StringBuilder(lines[0]).append("\r\n");
            for (int i = 1; i < lines.length; i++)
                if (!lines[i].toLowerCase(Locale.ROOT).startsWith("connection:")) b.append(lines[i]).append("\r\n");
            b.append("Connection: close\r\n\r\n");
            up.getOutputStream().write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
            InputStream upIn = up.getInputStream();
            int first = upIn.read();
            if (first < 0) return;
            byte[] head = readHead(upIn, first);
            if (head == null) return;
            String[] resp = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
            StringBuilder h = new StringBuilder(resp[0]).append("\r\n");
            for (int i = 1; i < resp.length; i++)
                if (!resp[i].isEmpty() && !resp[i].toLowerCase(Locale.ROOT).startsWith("connection:")) h.append(resp[i]).append("\r\n");
            h.append("Connection: close\r\n\r\n");
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            byte[] buf = new byte[8192];
            long left = limit;
            int n;
            while (left > 0 && (n = upIn.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                out.write(buf, 0, n);
                left -= n;
            }
            out.flush();
        }
    }

    /** Bytes up to and including the blank line that ends an HTTP head; null at EOF before it. */
    private static byte[] readHead(InputStream in, int first) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(first);
        int c, state = first == '\r' ? 1 : 0;
        while (state < 4 && (c = in.read()) >= 0) {
            b.write(c);
            state = switch (state) {
                case 0, 2 -> c == '\r' ? state + 1 : 0;
                case 1, 3 -> c == '\n' ? state + 1 : (c == '\r' ? 1 : 0);
                default -> state;
            };
            if (b.size() > 64 << 10) throw new IOException("request head over 64 KiB");
        }
        return state == 4 ? b.toByteArray() : null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
