package org.asteriskcti.server.api;

/**
 * One client transport (a WebSocket) as the hub sees it. Thread-safe: the hub calls it from the
 * domain loop, Netty carries the writes out on the connection's own event loop.
 */
public interface ClientConnection {

    /** False while the connection's outbound buffer is above its high watermark. */
    boolean isWritable();

    /** A message outside the stream (welcome, reply, error, pong). */
    void send(String text);

    /** A stream frame: {@code {"seq":<seq>,} followed by the shared body. */
    void sendStream(long seq, StreamBody body);

    /** Sends a close frame with this code and reason, then closes. */
    void close(int code, String reason);

    String remoteAddress();
}
