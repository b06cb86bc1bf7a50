package org.asteriskcti.server.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/** A WebSocket channel as a {@link ClientConnection}. Netty's writes are thread-safe. */
final class NettyClientConnection implements ClientConnection {
    private final Channel channel;
    private volatile boolean closing;

    NettyClientConnection(Channel channel) {
        this.channel = channel;
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable() && !closing;
    }

    @Override
    public void send(String text) {
        if (!closing) {
            channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
        }
    }

    @Override
    public void sendStream(long seq, StreamBody body) {
        if (!closing) {
            // The body's bytes are wrapped, not copied: every session's frame shares them.
            channel.writeAndFlush(new TextWebSocketFrame(
                    Unpooled.wrappedBuffer(StreamBody.prefix(seq), body.tail())), channel.voidPromise());
        }
    }

    @Override
    public void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    public String toString() {
        return "ws" + channel.id().asShortText() + "@" + channel.remoteAddress();
    }
}
