package org.asteriskcti.server.voicemail;

import java.util.Objects;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.TenantId;

/**
 * A caller in our Stasis application, answered and in no bridge, to leave a message in {@code mailbox}.
 *
 * @param caller the caller's number and name as Asterisk has them
 */
public record VoicemailRequest(ChannelId channel, Party caller, TenantId tenant, Mailbox mailbox, Origin origin) {

    public VoicemailRequest {
        Objects.requireNonNull(channel, "channel");
        caller = caller == null ? Party.EMPTY : caller;
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(origin, "origin");
    }
}
