package org.asteriskcti.protocol;

import java.time.Instant;

/**
 * A supervisor's monitoring session as clients see it (events {@code monitor.updated}, {@code monitor.ended};
 * the data of every {@code call.monitor.*} reply).
 *
 * @param id          the session id
 * @param supervisor  the supervisor's user name
 * @param endpoint    the supervisor's phone that was rung for it, e.g. {@code PJSIP/1004}
 * @param call        the conversation monitored (ConversationInfo id)
 * @param agent       the agent whose leg is monitored
 * @param mode        LISTEN (hears the call), WHISPER (also speaks to the agent only) or BARGE (in the call:
 *                    everyone hears them); while CONNECTING or SWITCHING, the mode being set up
 * @param state       RINGING_SUPERVISOR (their phone rings), CONNECTING (answered, the first mode being set up),
 *                    ACTIVE (the mode is in effect), SWITCHING (the previous mode goes on until the new one is up)
 *                    or ENDED
 * @param reason      when ENDED: why (e.g. "stopped", "the supervisor hung up", "the call ended")
 */
public record MonitorInfo(String id, String tenant, String supervisor, String endpoint, String call, String agent,
        String mode, String state, String reason, Instant startedAt, Instant endedAt, long version) {}
