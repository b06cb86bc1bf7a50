package org.asteriskcti.protocol;

import java.time.Instant;

/**
 * A voicemail message as clients see it: the {@code voicemail.*} events and REST {@code /api/v1/voicemail}.
 *
 * @param voicemailId     opaque id; the audio is {@code GET /api/v1/voicemail/{voicemailId}/audio}
 * @param mailbox         the box it was left in, as configured (e.g. {@code 1000@default})
 * @param callerNumber    the caller's number; empty when withheld
 * @param callerName      the caller's name; empty when unknown
 * @param originKind      QUEUE (a queue's overflow) or FLOW (an IVR flow's voicemail node)
 * @param origin          the queue's or the flow's id
 * @param state           NEW or HEARD
 * @param startedAt       when the caller heard the beep
 * @param endedAt         when the message ended
 * @param durationSeconds the message's length in whole seconds
 * @param heardBy         who marked it heard; null while NEW
 * @param heardAt         when; null while NEW
 */
public record VoicemailInfo(String voicemailId, String tenant, String mailbox, String callerNumber, String callerName,
        String originKind, String origin, String state, Instant startedAt, Instant endedAt, Integer durationSeconds,
        String heardBy, Instant heardAt) {}
