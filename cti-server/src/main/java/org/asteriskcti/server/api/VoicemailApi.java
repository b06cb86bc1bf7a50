package org.asteriskcti.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.protocol.VoicemailInfo;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.recording.RecordingError;
import org.asteriskcti.server.recording.RecordingException;
import org.asteriskcti.server.recording.RecordingFiles;
import org.asteriskcti.server.voicemail.Mailbox;
import org.asteriskcti.server.voicemail.MessageState;
import org.asteriskcti.server.voicemail.VoicemailError;
import org.asteriskcti.server.voicemail.VoicemailId;
import org.asteriskcti.server.voicemail.VoicemailListener;
import org.asteriskcti.server.voicemail.VoicemailMessage;
import org.asteriskcti.server.voicemail.VoicemailService;
import org.asteriskcti.server.voicemail.VoicemailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Voicemail in the client API, for the supervisors and admins of the tenant (agents are refused,
 * {@code auth.forbidden}):
 * <ul>
 *   <li><b>events</b>: as the {@link VoicemailListener}, {@code voicemail.added}, {@code .updated} (heard) and
 *       {@code .deleted} on {@code calls} (the tenant's supervisors' topic);</li>
 *   <li><b>REST</b>: {@code GET /api/v1/voicemail?mailbox=&state=&limit=}, {@code GET /api/v1/voicemail/{id}},
 *       {@code GET /api/v1/voicemail/{id}/audio} (the WAV, streamed from Asterisk through {@link RecordingFiles}),
 *       {@code POST /api/v1/voicemail/{id}/heard}, {@code DELETE /api/v1/voicemail/{id}}.</li>
 * </ul>
 * Another tenant's message, and one still being recorded, are refused exactly like one that does not exist
 * ({@code voicemail.unknown}, 404). Events run on the domain loop; reads complete on the store's and the files'
 * threads; marking heard and deleting run on the loop through {@link VoicemailService}.
 */
public final class VoicemailApi implements VoicemailListener {

    private static final Logger log = LoggerFactory.getLogger(VoicemailApi.class);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final ClientHub hub;
    private final DomainLoop loop;
    private final VoicemailStore store;
    private final RecordingFiles files;
    private final Executor downloads;
    private volatile VoicemailService service;

    /** @param downloads where the audio's body is read, chunk by chunk (the recordings' download threads) */
    public VoicemailApi(ClientHub hub, DomainLoop loop, VoicemailStore store, RecordingFiles files, Executor downloads) {
        this.hub = hub;
        this.loop = loop;
        this.store = store;
        this.files = files;
        this.downloads = downloads;
    }

    /** The service that marks heard and deletes (it is built with this API as its listener). */
    public void attach(VoicemailService voicemail) {
        this.service = voicemail;
    }

    // ---- events (on the loop) ------------------------------------------------------------------

    @Override
    public void added(VoicemailMessage m) {
        publish(m, Protocol.Events.VOICEMAIL_ADDED);
    }

    @Override
    public void updated(VoicemailMessage m) {
        publish(m, Protocol.Events.VOICEMAIL_UPDATED);
    }

    @Override
    public void deleted(VoicemailMessage m) {
        publish(m, Protocol.Events.VOICEMAIL_DELETED);
    }

    private void publish(VoicemailMessage m, String event) {
        hub.publish(m.tenant(), List.of(Topics.CALLS), event, info(m), null);
    }

    // ---- REST ----------------------------------------------------------------------------------

    /** {@code GET /api/v1/voicemail}: {@code {"messages": [...]}} newest first, or an ErrorBody naming the parameter. */
    CompletableFuture<Object> list(Principal p, String mailbox, String state, String limit) {
        ErrorBody refused = forbidden(p);
        if (refused != null) {
            return done(refused);
        }
        Optional<Mailbox> box;
        try {
            box = mailbox == null ? Optional.empty() : Optional.of(Mailbox.of(mailbox));
        } catch (IllegalArgumentException e) {
            return done(invalid("mailbox", "query parameter 'mailbox' must be a mailbox like 1000@default, got '"
                    + mailbox + "'"));
        }
        Optional<MessageState> st = Optional.empty();
        if (state != null) {
            String s = state.trim().toUpperCase(Locale.ROOT);
            if (!s.equals("NEW") && !s.equals("HEARD")) {
                return done(invalid("state", "query parameter 'state' must be new or heard, got '" + state + "'"));
            }
            st = Optional.of(MessageState.valueOf(s));
        }
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            n = limit.trim().matches("\\d{1,9}") ? Integer.parseInt(limit.trim()) : -1;
            if (n < 1 || n > MAX_LIMIT) {
                ErrorBody e = new ErrorBody(Protocol.Errors.VOICEMAIL_INVALID_REQUEST,
                        VoicemailError.INVALID_REQUEST.status(), "query parameter 'limit' must be a whole number from 1 to "
                                + MAX_LIMIT + ", got '" + limit + "'",
                        Map.of("parameter", "limit", "min", 1, "max", MAX_LIMIT));
                return done(e);
            }
        }
        return store.list(p.tenant(), box, st, n).thenApply(all -> {
            List<VoicemailInfo> out = new ArrayList<>(all.size());
            all.forEach(m -> out.add(info(m)));
            return Map.of("messages", out);
        });
    }

    /** {@code GET /api/v1/voicemail/{id}}. */
    CompletableFuture<Object> get(Principal p, String id) {
        return visible(p, id).thenApply(m -> m instanceof VoicemailMessage v ? info(v) : m);
    }

    /**
     * {@code GET /api/v1/voicemail/{id}/audio}: an open {@link RecordingFiles.Audio} (the caller streams and closes
     * it), or an ErrorBody: unknown, forbidden, {@code voicemail.audio_missing}, {@code voicemail.asterisk_failed}.
     */
    CompletableFuture<Object> audio(Principal p, String id) {
        return visible(p, id).thenCompose(found -> {
            if (!(found instanceof VoicemailMessage m)) {
                return done(found);
            }
            return files.open(m.recordingName()).handle((audio, err) -> {
                if (err == null) {
                    log.info("voicemail {} ({}): audio sent to {}", id, m.file(), p.user());
                    return (Object) audio;
                }
                RecordingException e = RecordingException.unwrap(err);
                boolean missing = e != null && e.error() == RecordingError.AUDIO_MISSING;
                log.warn("voicemail {} ({}): audio not available: {}", id, m.file(), e != null ? e.getMessage() : err);
                return missing
                        ? new ErrorBody(Protocol.Errors.VOICEMAIL_AUDIO_MISSING, VoicemailError.AUDIO_MISSING.status(),
                                "Asterisk has no file " + m.file() + " for message " + id, Map.of("voicemail_id", id))
                        : new ErrorBody(Protocol.Errors.VOICEMAIL_ASTERISK_FAILED, VoicemailError.ASTERISK_FAILED.status(),
                                "the message's audio cannot be read from Asterisk now", Map.of("voicemail_id", id));
            });
        });
    }

    /** {@code POST /api/v1/voicemail/{id}/heard}: the message, HEARD (by the first who marked it). */
    CompletableFuture<Object> heard(Principal p, String id) {
        return visible(p, id).thenCompose(found -> {
            if (!(found instanceof VoicemailMessage m)) {
                return done(found);
            }
            return loop.call(() -> (Object) info(service.markHeard(m, p.user().value())));
        });
    }

    /** {@code DELETE /api/v1/voicemail/{id}}: {@code {"deleted": id}}; Asterisk refusing leaves the message. */
    CompletableFuture<Object> delete(Principal p, String id) {
        return visible(p, id).thenCompose(found -> {
            if (!(found instanceof VoicemailMessage m)) {
                return done(found);
            }
            return loop.call(() -> service.delete(m, p.user().value())).thenCompose(f -> f).handle((ok, err) -> {
                if (err == null) {
                    return (Object) Map.of("deleted", id);
                }
                return new ErrorBody(Protocol.Errors.VOICEMAIL_ASTERISK_FAILED, VoicemailError.ASTERISK_FAILED.status(),
                        "Asterisk did not delete the message's audio; the message is kept", Map.of("voicemail_id", id));
            });
        });
    }

    Executor downloads() {
        return downloads;
    }

    /** The message if the user may see it, else the ErrorBody to answer. */
    private CompletableFuture<Object> visible(Principal p, String id) {
        ErrorBody refused = forbidden(p);
        if (refused != null) {
            return done(refused);
        }
        if (id == null || id.isBlank()) {
            return done(unknown(String.valueOf(id)));
        }
        return store.find(VoicemailId.of(id)).thenApply(found -> found
                .filter(m -> m.tenant().equals(p.tenant()) && m.isComplete())
                .<Object>map(m -> m).orElseGet(() -> unknown(id)));
    }

    private static ErrorBody forbidden(Principal p) {
        return p.supervises() ? null : new ErrorBody(Protocol.Errors.FORBIDDEN, 403,
                "voicemail is for the tenant's supervisors and admins", Map.of());
    }

    private static ErrorBody invalid(String parameter, String message) {
        return new ErrorBody(Protocol.Errors.VOICEMAIL_INVALID_REQUEST, VoicemailError.INVALID_REQUEST.status(), message,
                Map.of("parameter", parameter));
    }

    /** The one refusal for a message not in the user's tenant, whether it exists elsewhere or not. */
    static ErrorBody unknown(String id) {
        return new ErrorBody(Protocol.Errors.VOICEMAIL_UNKNOWN, VoicemailError.UNKNOWN.status(),
                "no voicemail message '" + id + "' in your tenant", Map.of("voicemail_id", id));
    }

    private static CompletableFuture<Object> done(Object o) {
        return CompletableFuture.completedFuture(o);
    }

    /** A message as clients see it. */
    public static VoicemailInfo info(VoicemailMessage m) {
        return new VoicemailInfo(m.id().value(), m.tenant().value(), m.mailbox().value(), m.callerNumber(),
                m.callerName(), m.origin().kind().name(), m.origin().id(), m.state().name(), m.startedAt(), m.endedAt(),
                m.durationSeconds(), m.heardBy(), m.heardAt());
    }
}
