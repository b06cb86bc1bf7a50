package org.asteriskcti.server.testsupport;

import java.util.ArrayList;
import java.util.List;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.tenant.TenantDirectory;

/** Keeps everything the model published, in order. */
public final class RecordingModelListener implements CallModelListener {
    public final List<CallView> calls = new ArrayList<>();
    public final List<String> phones = new ArrayList<>();
    public final List<SyncStatus> syncs = new ArrayList<>();

    @Override
    public void callChanged(CallView call, EventMeta cause) {
        calls.add(call);
    }

    @Override
    public void agentPhoneChanged(TenantDirectory.Agent agent, PhoneState state, EventMeta cause) {
        phones.add(agent.id() + "=" + state);
    }

    @Override
    public void syncChanged(SyncStatus status) {
        syncs.add(status);
    }

    public List<String> statesOf(String callId) {
        List<String> out = new ArrayList<>();
        for (CallView c : calls) {
            if (c.callId().equals(callId) && (out.isEmpty() || !out.get(out.size() - 1).equals(c.state()))) {
                out.add(c.state());
            }
        }
        return out;
    }

    public CallView last(String callId) {
        CallView found = null;
        for (CallView c : calls) {
            if (c.callId().equals(callId)) {
                found = c;
            }
        }
        return found;
    }
}
