package org.asteriskcti.server.asterisk.ami;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;
import org.asteriskjava.lock.Locker.LockCloser;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.internal.ManagerConnectionImpl;
import org.asteriskjava.util.SocketConnectionFacade;

/**
 * One AMI TCP session, used once: the connector makes a new one per attempt and owns reconnects.
 *
 * <p>Two changes to asterisk-java's {@link ManagerConnectionImpl}:
 * <ul>
 *   <li>a lost connection does not start asterisk-java's own reconnect thread (fixed 50 ms / 5 s
 *       retries, no backoff, no resync); the connector is told why the link died instead;</li>
 *   <li>{@link #forceClose()} closes the socket, for a link that looks open but does not answer
 *       (half-open TCP).</li>
 * </ul>
 */
final class CtiManagerConnection extends ManagerConnectionImpl {

    private final Consumer<String> onLost;
    private final long readTimeoutMillis;
    private volatile String readFailure;

    /**
     * @param onLost called once, on asterisk-java's event thread, when a logged-in connection ends;
     *               the argument says why as far as the socket knows
     */
    CtiManagerConnection(AmiSettings settings, Consumer<String> onLost) {
        this.onLost = onLost;
        this.readTimeoutMillis = settings.socketReadTimeout().toMillis();
        setHostname(settings.host());
        setPort(settings.port());
        setUsername(settings.username());
        setPassword(settings.secret());
        setSocketTimeout(toIntMillis(settings.connectTimeout().toMillis()));
        setSocketReadTimeout(toIntMillis(readTimeoutMillis));
        setDefaultResponseTimeout(settings.connectTimeout().toMillis());
        setDefaultEventTimeout(settings.actionTimeout().toMillis());
    }

    /** Closes the socket now; the reader ends and {@code onLost} follows if the session was logged in. */
    void forceClose() {
        disconnect();
    }

    @Override
    public void dispatchEvent(ManagerEvent event, Integer requiredHandlingTime) {
        if (!(event instanceof DisconnectEvent)) {
            super.dispatchEvent(event, requiredHandlingTime);
            return;
        }
        boolean wasConnected;
        LockCloser lock = withLock();
        try {
            wasConnected = state == ManagerConnectionState.CONNECTED;
            if (wasConnected) {
                // Not RECONNECTING: asterisk-java's reconnect thread must not start.
                state = ManagerConnectionState.DISCONNECTED;
                disconnect();
            }
        } finally {
            lock.close();
        }
        // Fails pending actions (their callbacks get a null response); not passed on: no longer CONNECTED.
        super.dispatchEvent(event, requiredHandlingTime);
        if (wasConnected) {
            String why = readFailure;
            onLost.accept(why == null ? "connection closed" : why);
        }
    }

    @Override
    protected SocketConnectionFacade createSocket() throws IOException {
        return new WatchedSocket(super.createSocket());
    }

    private static int toIntMillis(long millis) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
    }

    /** Remembers how reading ended, to give the outage a reason. */
    private final class WatchedSocket implements SocketConnectionFacade {
        private final SocketConnectionFacade delegate;

        WatchedSocket(SocketConnectionFacade delegate) {
            this.delegate = delegate;
        }

        @Override
        public String readLine() throws IOException {
            try {
                String line = delegate.readLine();
                if (line == null) {
                    readFailure = "connection closed by Asterisk";
                }
                return line;
            } catch (SocketTimeoutException e) {
                readFailure = "nothing received for " + readTimeoutMillis + " ms (read timeout)";
                throw e;
            } catch (IOException e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                readFailure = msg.startsWith("No more lines") ? "connection closed by Asterisk"
                        : "connection error: " + msg;
                throw e;
            }
        }

        @Override
        public void write(String s) throws IOException {
            delegate.write(s);
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isConnected() {
            return delegate.isConnected();
        }

        @Override
        public InetAddress getLocalAddress() {
            return delegate.getLocalAddress();
        }

        @Override
        public int getLocalPort() {
            return delegate.getLocalPort();
        }

        @Override
        public InetAddress getRemoteAddress() {
            return delegate.getRemoteAddress();
        }

        @Override
        public int getRemotePort() {
            return delegate.getRemotePort();
        }
    }
}
