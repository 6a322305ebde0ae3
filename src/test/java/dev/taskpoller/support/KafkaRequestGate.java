package dev.taskpoller.support;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a Kafka broker that can hold back the clients' requests of some APIs, so that a test makes a
 * request go unanswered for as long as it likes instead of racing a timeout: the broker never sees the request, the
 * client sees no answer, everything else goes on. The broker has to advertise the proxy's port (its
 * {@code advertised.listeners}), since clients connect where the metadata says.
 *
 * <p>Requests are frames {@code [int32 size][int16 api_key][int16 api_version][int32 correlation_id]...}; the proxy
 * reads the client's side frame by frame. While it {@link #hold holds}, a request of the held API is kept back, and so
 * is every later request of its connection, since a broker answers a connection's requests in order; {@link #release}
 * sends them on in order. A connection the client closes meanwhile takes its held requests with it, as a connection
 * cut before they reached the broker would: the client sends them again on a new one. Answers pass as they are.
 */
public final class KafkaRequestGate implements AutoCloseable {

    /** EndTxn: a producer's commit or abort of its transaction, sent to the transaction coordinator. */
    public static final short END_TXN = 26;
    /** OffsetCommit: a consumer's commit of its offsets, to the group coordinator. */
    public static final short OFFSET_COMMIT = 8;

    private static final String HOST = "127.0.0.1";

    private final int brokerPort;
    private final Set<Short> heldApiKeys;
    private final ServerSocket server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean holding;

    /** Listens on a free port of 127.0.0.1 and forwards to {@code brokerPort} there (the broker may start later). */
    public KafkaRequestGate(int brokerPort, Short... heldApiKeys) {
        this.brokerPort = brokerPort;
        this.heldApiKeys = Set.of(heldApiKeys);
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        } catch (IOException e) {
            throw new UncheckedIOException("the gate cannot listen on " + HOST, e);
        }
        daemon("kafka-gate-accept", this::accept).start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on requests of the held APIs (and what follows them on their connection) are kept back. */
    public void hold() {
        holding = true;
    }

    /** Sends on what was kept back, in order, and lets everything through from now on. */
    public void release() {
        // first: a request read from now on passes, unless its connection still has some held (flushed next)
        holding = false;
        connections.forEach(Connection::flush);
    }

    /** How many requests of the held APIs were kept back so far (those sent again after a cut connection too). */
    public int heldRequests() {
        return held.get();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(Connection::close);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            try {
                Connection connection = new Connection(client, new Socket(HOST, brokerPort));
                connections.add(connection);
                connection.start();
            } catch (IOException e) {
                // the broker is not there (yet): the client sees a refused connection and tries again
                closeQuietly(client);
            }
        }
    }

    /** One client's connection, and the gate's own to the broker for it. */
    private final class Connection {
        private final Socket client;
        private final Socket broker;
        private final List<byte[]> kept = new ArrayList<>();
        private final AtomicBoolean closed = new AtomicBoolean();

        Connection(Socket client, Socket broker) throws IOException {
            this.client = client;
            this.broker = broker;
            client.setTcpNoDelay(true);
            broker.setTcpNoDelay(true);
        }

        void start() {
            daemon("kafka-gate-requests-" + client.getPort(), this::requests).start();
            daemon("kafka-gate-answers-" + client.getPort(), this::answers).start();
        }

        private void requests() {
            try {
                DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
                OutputStream out = broker.getOutputStream();
                while (true) {
                    int size = in.readInt();
                    byte[] frame = new byte[4 + size];
                    frame[0] = (byte) (size >>> 24);
                    frame[1] = (byte) (size >>> 16);
                    frame[2] = (byte) (size >>> 8);
                    frame[3] = (byte) size;
                    in.readFully(frame, 4, size);
                    short apiKey = size >= 2 ? (short) (((frame[4] & 0xff) << 8) | (frame[5] & 0xff)) : -1;
                    synchronized (this) {
                        boolean keep = holding && heldApiKeys.contains(apiKey);
                        if (keep) {
                            held.incrementAndGet();
                        }
                        if (keep || !kept.isEmpty()) {
                            kept.add(frame);
                        } else {
                            out.write(frame);
                        }
                    }
                }
            } catch (IOException e) {
                // the client went away, or the broker: so does the other side
            } finally {
                close();
            }
        }

        private void answers() {
            try (InputStream in = broker.getInputStream(); OutputStream out = client.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // as above
            } finally {
                close();
            }
        }

        synchronized void flush() {
            if (closed.get()) {
                return;
            }
            try {
                OutputStream out = broker.getOutputStream();
                for (byte[] frame : kept) {
                    out.write(frame);
                }
                kept.clear();
            } catch (IOException e) {
                close();
            }
        }

        /** Not under the lock: a write to the broker may hold it, and closing is what ends that write. */
        void close() {
            if (closed.compareAndSet(false, true)) {
                closeQuietly(client);
                closeQuietly(broker);
                connections.remove(this);
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }
}
