package org.asteriskcti.server.acd;

import org.asteriskcti.server.agent.AgentStateChanged;

/**
 * Who hears about the ACD's changes (client API, statistics export), called on the domain loop after
 * the change is made. Must not block and must not call back into the {@link AcdService}
 * synchronously.
 */
public interface AcdListener {

    void agentStateChanged(AgentStateChanged change);

    void entryChanged(EntryChanged change);

    /** A listener that ignores everything. */
    AcdListener NONE = new AcdListener() {
        @Override
        public void agentStateChanged(AgentStateChanged change) {}

        @Override
        public void entryChanged(EntryChanged change) {}
    };
}
