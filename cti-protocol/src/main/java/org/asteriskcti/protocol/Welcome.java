package org.asteriskcti.protocol;

import java.time.Instant;
import java.util.List;

/**
 * First frame on every WebSocket.
 *
 * @param sessionId  the stream's id; reconnect with {@code ?resume=<sessionId>&last_seq=<n>} to resume
 * @param resumed    true when the requested session was resumed
 * @param resumeResult what happened to a resume request: {@code replay} (missed events follow),
 *                   {@code snapshot} (too far behind: snapshots follow), {@code unknown_session},
 *                   {@code not_yours}, or null when none was asked
 * @param lastSeq    the last seq already sent on this stream before this connection (0 for a new one)
 * @param topics     topics the session is subscribed to
 */
public record Welcome(String type, int v, String sessionId, boolean resumed, String resumeResult, long lastSeq,
        List<String> topics, UserInfo user, Instant serverTime, long heartbeatIntervalMs) {}
