package org.asteriskcti.server.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a body read from a stream (a recording's audio coming from Asterisk) as an HTTP response, one
 * chunk in flight at a time: a chunk is read (on {@code reader}, blocking reads never run on Netty's
 * threads), written, and only once the socket took it is the next one read. A slow client therefore
 * slows the read from Asterisk; nothing is held but one chunk. With a known length the response has a
 * {@code Content-Length}, else it is sent chunked. A client that goes away, or a source that fails or
 * ends short, closes the connection (the headers are gone already; a short body must not look complete).
 */
final class StreamedDownload {

    private static final Logger log = LoggerFactory.getLogger(StreamedDownload.class);
    static final int CHUNK = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final InputStream in;
    private final Executor reader;
    private final boolean keepAlive;
    private final long length;
    private final String what;
    private long sent;

    private StreamedDownload(ChannelHandlerContext ctx, InputStream in, Executor reader, boolean keepAlive, long length,
            String what) {
        this.ctx = ctx;
        this.in = in;
        this.reader = reader;
        this.keepAlive = keepAlive;
        this.length = length;
        this.what = what;
    }

    /**
     * Writes the response head, then the body from {@code in} (closed at the end, whatever happens).
     *
     * @param what for the log, e.g. {@code recording rec-... audio}
     */
    static void send(ChannelHandlerContext ctx, boolean keepAlive, String contentType, OptionalLong length,
            String fileName, InputStream in, Executor reader, String what) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (length.isPresent()) {
            HttpUtil.setContentLength(head, length.getAsLong());
        } else {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        head.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (keepAlive) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        StreamedDownload d = new StreamedDownload(ctx, in, reader, keepAlive, length.orElse(-1), what);
        ctx.writeAndFlush(head).addListener(f -> {
            if (f.isSuccess()) {
                d.next();
            } else {
                d.abort("the client went away before the body: " + f.cause());
            }
        });
    }

    /** Reads the next chunk on the reader, later. */
    private void next() {
        try {
            reader.execute(this::readAndWrite);
        } catch (RejectedExecutionException e) {
            abort("the server is shutting down");
        }
    }

    private void readAndWrite() {
        ByteBuf buf = ctx.alloc().heapBuffer(CHUNK, CHUNK);
        boolean end = false;
        try {
            while (buf.isWritable()) {
                if (buf.writeBytes(in, buf.writableBytes()) < 0) {
                    end = true;
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            buf.release();
            abort("reading the source failed after " + sent + " bytes: " + e);
            return;
        }
        if (!buf.isReadable()) {
            buf.release();
            finish();
            return;
        }
        sent += buf.readableBytes();
        boolean last = end;
        ctx.writeAndFlush(new DefaultHttpContent(buf)).addListener(f -> {
            if (!f.isSuccess()) {
                abort("the client went away after " + sent + " bytes: " + f.cause());
            } else if (last) {
                finish();
            } else {
                next();
            }
        });
    }

    private void finish() {
        closeSource();
        if (length >= 0 && sent != length) {
            log.warn("{}: the source ended after {} of {} bytes; closing the connection", what, sent, length);
            ctx.close();
            return;
        }
        log.debug("{}: {} bytes sent", what, sent);
        if (keepAlive) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void abort(String why) {
        log.info("{}: download aborted: {}", what, why);
        closeSource();
        ctx.close();
    }

    private void closeSource() {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("{}: closing the source: {}", what, e.toString());
        }
    }
}
