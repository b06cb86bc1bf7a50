package org.asteriskcti.server.api;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.asteriskcti.server.domain.DomainLoop;

/**
 * A client's resumable event stream: its topics, its seq counter and the bounded buffer of the last
 * frames, kept while it is connected and for a grace period after. Owned by the domain loop.
 */
final class ClientSession {

    record Frame(long seq, String text) {}

    final String id;
    final Principal principal;
    final Set<String> topics = new LinkedHashSet<>();
    private final ArrayDeque<Frame> buffer = new ArrayDeque<>();
    private final int capacity;
    private long seq;
    /** Highest seq written to the current connection. */
    long lastSent;
    ClientConnection connection;
    Instant detachedAt;
    DomainLoop.Cancellable expiry;
    long connectionGeneration;

    ClientSession(String id, Principal principal, int capacity) {
        this.id = id;
        this.principal = principal;
        this.capacity = capacity;
    }

    long seq() {
        return seq;
    }

    /** Assigns the next seq and keeps the frame for replay. */
    Frame append(String body) {
        seq++;
        Frame f = new Frame(seq, "{\"seq\":" + seq + "," + body.substring(1));
        buffer.addLast(f);
        while (buffer.size() > capacity) {
            buffer.removeFirst();
        }
        return f;
    }

    /** The oldest seq still in the buffer (seq+1 when empty). */
    long firstBuffered() {
        return buffer.isEmpty() ? seq + 1 : buffer.peekFirst().seq();
    }

    /** Can a client that has seen up to {@code lastSeq} be served from the buffer alone? */
    boolean canReplayFrom(long lastSeq) {
        return lastSeq >= 0 && lastSeq <= seq && lastSeq >= firstBuffered() - 1;
    }

    /** Frames with seq greater than {@code lastSeq}, oldest first (a view: do not append while iterating). */
    Iterable<Frame> framesAfter(long lastSeq) {
        return () -> buffer.stream().filter(f -> f.seq() > lastSeq).iterator();
    }

    int capacity() {
        return capacity;
    }
}
