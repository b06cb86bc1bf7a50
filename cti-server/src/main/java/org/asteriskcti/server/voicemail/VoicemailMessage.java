package org.asteriskcti.server.voicemail;

import java.time.Instant;
import java.util.Objects;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.TenantId;

/**
 * One voicemail message as stored: whose it is (tenant, mailbox), who left it, where they came from, and
 * Asterisk's stored recording holding the audio ({@code recordingName}.wav in Asterisk's recording directory).
 *
 * @param callerNumber    the caller's number as Asterisk had it; empty when withheld
 * @param callerName      the caller's name; empty when unknown
 * @param channel         the caller's channel (finds the caller again after a CTI restart)
 * @param startedAt       when the recording was asked for (the caller heard the beep right after)
 * @param endedAt         when Asterisk finished the file; null while RECORDING
 * @param durationSeconds the file's length in whole seconds (Asterisk's RecordingFinished, else the file's size);
 *                        null while RECORDING
 * @param heardBy         the user who marked it heard; null unless HEARD
 */
public record VoicemailMessage(VoicemailId id, TenantId tenant, Mailbox mailbox, String callerNumber,
        String callerName, Origin origin, ChannelId channel, String recordingName, MessageState state,
        Instant startedAt, Instant endedAt, Integer durationSeconds, String heardBy, Instant heardAt) {

    /** The file format asked of Asterisk ({@code AsteriskCommands#recordChannel} records WAV). */
    public static final String FORMAT = "wav";

    public VoicemailMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recordingName, "recordingName");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        callerNumber = callerNumber == null ? "" : callerNumber;
        callerName = callerName == null ? "" : callerName;
    }

    /** The stored file's name in Asterisk's recording directory. */
    public String file() {
        return recordingName + "." + FORMAT;
    }

    /** Complete (NEW or HEARD): listed, playable. */
    public boolean isComplete() {
        return state != MessageState.RECORDING;
    }

    /** The same message, complete (NEW) with its length. */
    public VoicemailMessage completed(Instant at, int seconds) {
        return new VoicemailMessage(id, tenant, mailbox, callerNumber, callerName, origin, channel, recordingName,
                MessageState.NEW, startedAt, at, seconds, null, null);
    }

    /** The same message, marked heard by {@code user} at {@code at}. */
    public VoicemailMessage heard(String user, Instant at) {
        return new VoicemailMessage(id, tenant, mailbox, callerNumber, callerName, origin, channel, recordingName,
                MessageState.HEARD, startedAt, endedAt, durationSeconds, user, at);
    }
}
