package org.asteriskcti.server.call;

import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.tenant.TenantDirectory;

/** What the model tells the outside (client hub, metrics). Called on the domain loop. */
public interface CallModelListener {

    /** A call changed (including its end). {@code cause} is the Asterisk event that changed it. */
    void callChanged(CallView call, EventMeta cause);

    void agentPhoneChanged(TenantDirectory.Agent agent, PhoneState state, EventMeta cause);

    void syncChanged(SyncStatus status);
}
