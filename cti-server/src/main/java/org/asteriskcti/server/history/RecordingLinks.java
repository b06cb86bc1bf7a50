package org.asteriskcti.server.history;

import java.util.List;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;

/**
 * Which recordings a call has, for the history entries made when it ends. The recording feature
 * implements it; until it is wired in, {@link #NONE}. Called on the domain loop: must answer from
 * memory, never wait.
 */
@FunctionalInterface
public interface RecordingLinks {

    /** No recordings known. */
    RecordingLinks NONE = (tenant, call) -> List.of();

    /** Where clients fetch a recording. */
    String URL_PREFIX = "/api/v1/recordings/";

    /** The ids of the call's recordings (of this tenant only), oldest first; empty when none. */
    List<String> recordingsOf(TenantId tenant, CallId call);

    /** The client-API address of a recording: {@code /api/v1/recordings/<id>}. */
    static String url(String recordingId) {
        return URL_PREFIX + recordingId;
    }
}
