package org.asteriskcti.server.api;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.asteriskcti.server.domain.DomainLoop;

/**
 * A client's resumable event stream: its topics, its seq counter and the bounded buffer of the last
 * frames, kept while it is connected and for a grace period after. Owned by the domain loop.
 */
final class ClientSession {

    private final StreamBody[] ring;
    private final int capacity;
    private long seq;
    private int size;
    final String id;
    final Principal principal;
    final Set<String> topics = new LinkedHashSet<>();
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
        this.ring = new StreamBody[capacity];
    }

    long seq() {
        return seq;
    }

    /** Assigns the next seq to this body and keeps it for replay (the oldest falls out when full). */
    long append(StreamBody body) {
        seq++;
        ring[(int) (seq % capacity)] = body;
        if (size < capacity) {
            size++;
        }
        return seq;
    }

    /** The oldest seq still in the buffer (seq+1 when empty). */
    long firstBuffered() {
        return seq - size + 1;
    }

    /** Can a client that has seen up to {@code lastSeq} be served from the buffer alone? */
    boolean canReplayFrom(long lastSeq) {
        return lastSeq >= 0 && lastSeq <= seq && lastSeq >= firstBuffered() - 1;
    }

    /** The body of frame {@code wanted}; it must be buffered ({@code firstBuffered() <= wanted <= seq()}). */
    StreamBody body(long wanted) {
        if (wanted < firstBuffered() || wanted > seq) {
            throw new IllegalArgumentException("seq " + wanted + " is not buffered (" + firstBuffered() + ".." + seq + ")");
        }
        return ring[(int) (wanted % capacity)];
    }

    int capacity() {
        return capacity;
    }
}
