package org.asteriskcti.server.history;

/** Told of every entry added to an agent's history (the client API publishes it). Called on the domain loop. */
@FunctionalInterface
public interface HistoryListener {

    HistoryListener NONE = entry -> { };

    void added(HistoryEntry entry);
}
