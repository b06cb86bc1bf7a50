package org.asteriskcti.server.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.protocol.RecordingInfo;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.recording.RecordingError;
import org.asteriskcti.server.recording.RecordingEvent;
import org.asteriskcti.server.recording.RecordingException;
import org.asteriskcti.server.recording.RecordingFiles;
import org.asteriskcti.server.recording.RecordingId;
import org.asteriskcti.server.recording.RecordingListener;
import org.asteriskcti.server.recording.RecordingStore;
import org.asteriskcti.server.recording.RecordingView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call recordings in the client API:
 * <ul>
 *   <li><b>events</b>: as the {@link RecordingListener}, each change goes out as {@code recording.started},
 *       {@code .paused}, {@code .resumed}, {@code .updated} or {@code .stopped} on {@code calls} (supervisors)
 *       and on {@code agent:<id>} of every agent on the recording;</li>
 *   <li><b>REST</b>: {@code GET /api/v1/recordings?call=<id>}, {@code /api/v1/recordings/{id}} (metadata and
 *       pause audit, from the store) and {@code /api/v1/recordings/{id}/audio} (the WAV, streamed from
 *       Asterisk through {@link RecordingFiles}).</li>
 * </ul>
 * Who may see a recording: supervisors and admins of its tenant; an agent only a recording of a call they
 * were on ({@code auth.forbidden} otherwise). Another tenant's recording is refused exactly like one that
 * does not exist ({@code recording.unknown}, 404). Events run on the domain loop; the REST answers
 * complete on the store's and the files' threads, never on the loop.
 */
public final class RecordingApi implements RecordingListener {

    private static final Logger log = LoggerFactory.getLogger(RecordingApi.class);

    private final ClientHub hub;
    private final RecordingStore store;
    private final RecordingFiles files;
    private final ExecutorService downloads;

    public RecordingApi(ClientHub hub, RecordingStore store, RecordingFiles files) {
        this.hub = hub;
        this.store = store;
        this.files = files;
        AtomicInteger n = new AtomicInteger();
        this.downloads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "cti-recording-download-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    // ---- events ----------------------------------------------------------------------------------

    /** The recordings going on now (from the events; on the loop), for the snapshots of reconnecting desktops. */
    private final Map<RecordingId, RecordingView> active = new java.util.LinkedHashMap<>();

    @Override
    public void recordingChanged(RecordingEvent e) {
        RecordingView r = e.recording();
        if (e.kind() == RecordingEvent.Kind.STOPPED) {
            active.remove(r.id());
        } else {
            active.put(r.id(), r);
        }
        List<String> topics = new ArrayList<>();
        topics.add(Topics.CALLS);
        for (AgentId a : r.agents()) {
            topics.add(Topics.AGENT_PREFIX + a.value());
        }
        String event = switch (e.kind()) {
            case STARTED -> Protocol.Events.RECORDING_STARTED;
            case PAUSED -> Protocol.Events.RECORDING_PAUSED;
            case RESUMED -> Protocol.Events.RECORDING_RESUMED;
            case UPDATED -> Protocol.Events.RECORDING_UPDATED;
            case STOPPED -> Protocol.Events.RECORDING_STOPPED;
        };
        hub.publish(r.tenant(), topics, event, info(r), null);
    }

    /** Running recordings of the tenant (supervisors: the {@code calls} snapshot). On the loop. */
    List<RecordingInfo> activeOf(org.asteriskcti.server.domain.TenantId tenant) {
        return active.values().stream().filter(r -> r.tenant().equals(tenant)).map(RecordingApi::info).toList();
    }

    /** Running recordings an agent is on (their {@code agent:<id>} snapshot). On the loop. */
    List<RecordingInfo> activeOf(AgentId agent) {
        return active.values().stream().filter(r -> r.agents().contains(agent)).map(RecordingApi::info).toList();
    }

    // ---- REST ------------------------------------------------------------------------------------

    /** {@code GET /api/v1/recordings?call=<id>}: {@code {"recordings": [...]}} the user may see, or an ErrorBody. */
    CompletableFuture<Object> list(Principal p, String call) {
        if (call == null || call.isBlank()) {
            return CompletableFuture.completedFuture(new ErrorBody(Protocol.Errors.RECORDING_INVALID_REQUEST,
                    RecordingError.INVALID_REQUEST.status(), "query parameter 'call' (a call id) is required",
                    Map.of("field", "call")));
        }
        return store.byCall(p.tenant(), CallId.of(call)).thenApply(all -> {
            List<RecordingInfo> out = new ArrayList<>();
            for (RecordingView r : all) {
                if (refusal(p, Optional.of(r), r.id().value()) == null) {
                    out.add(info(r));
                }
            }
            return Map.of("recordings", out);
        });
    }

    /** {@code GET /api/v1/recordings/{id}}: the recording with its pauses, or an ErrorBody. */
    CompletableFuture<Object> get(Principal p, String id) {
        return visible(p, id).thenApply(r -> r instanceof RecordingView v ? info(v) : r);
    }

    /**
     * {@code GET /api/v1/recordings/{id}/audio}: an open {@link RecordingFiles.Audio} (the caller streams and
     * closes it), or an ErrorBody: unknown, forbidden, {@code recording.in_progress} while it goes on,
     * {@code recording.audio_missing}, {@code recording.asterisk_failed}.
     */
    CompletableFuture<Object> audio(Principal p, String id) {
        return visible(p, id).thenCompose(r -> {
            if (!(r instanceof RecordingView v)) {
                return CompletableFuture.completedFuture(r);
            }
            if (v.isActive()) {
                return CompletableFuture.completedFuture(new ErrorBody(Protocol.Errors.RECORDING_IN_PROGRESS,
                        RecordingError.IN_PROGRESS.status(), "recording " + id + " is still going on (" + v.status()
                                + "): its file is complete once it has stopped", Map.of("recording_id", id)));
            }
            return files.open(v.name()).handle((audio, err) -> {
                if (err == null) {
                    log.info("recording {} ({}): audio sent to {}", id, v.file(), p.user());
                    return (Object) audio;
                }
                RecordingException e = RecordingException.unwrap(err);
                if (e == null) {
                    log.error("recording {}: opening its audio failed", id, err);
                    return new ErrorBody(Protocol.Errors.RECORDING_ASTERISK_FAILED, RecordingError.ASTERISK_FAILED.status(),
                            "the recording's audio cannot be read now", Map.of("recording_id", id));
                }
                log.warn("recording {} ({}): audio not available: {}", id, v.file(), e.getMessage());
                Map<String, Object> details = new LinkedHashMap<>(e.details());
                details.put("recording_id", id);
                return new ErrorBody(e.errorId(), e.status(), e.reason(), details);
            });
        });
    }

    /** Where the audio's body is read, chunk by chunk (blocking reads never run on Netty's threads). */
    public Executor downloads() {
        return downloads;
    }

    public void close() {
        downloads.shutdownNow();
    }

    /** The recording if the user may see it, else the ErrorBody to answer. */
    private CompletableFuture<Object> visible(Principal p, String id) {
        if (id == null || id.isBlank()) {
            return CompletableFuture.completedFuture(unknown(String.valueOf(id)));
        }
        return store.find(RecordingId.of(id)).thenApply(r -> {
            ErrorBody refused = refusal(p, r, id);
            return refused != null ? refused : r.get();
        });
    }

    private static ErrorBody refusal(Principal p, Optional<RecordingView> found, String id) {
        if (found.isEmpty() || !found.get().tenant().equals(p.tenant())) {
            return unknown(id);
        }
        if (p.supervises() || found.get().involves(p.agent())) {
            return null;
        }
        return new ErrorBody(Protocol.Errors.FORBIDDEN, 403,
                "agents may hear only recordings of calls they were on", Map.of("recording_id", id));
    }

    /** The one refusal for a recording not in the user's tenant, whether it exists elsewhere or not. */
    static ErrorBody unknown(String id) {
        return new ErrorBody(Protocol.Errors.RECORDING_UNKNOWN, RecordingError.UNKNOWN.status(),
                "no recording '" + id + "' in your tenant", Map.of("recording_id", id));
    }

    /** A recording as clients see it. */
    public static RecordingInfo info(RecordingView r) {
        List<RecordingInfo.Pause> pauses = new ArrayList<>();
        for (RecordingView.Pause p : r.pauses()) {
            pauses.add(new RecordingInfo.Pause(p.pausedAt(), p.pausedBy(), p.reason(), p.resumedAt(), p.resumedBy(),
                    p.endedWithRecording()));
        }
        return new RecordingInfo(r.id().value(), r.tenant().value(), r.call().value(),
                r.queue().map(q -> q.value()).orElse(null), r.agents().stream().map(AgentId::value).toList(),
                r.policy().name(), r.status().name(), r.startedBy(), r.startedAt(), r.endedAt(),
                r.endReason() == null ? null : r.endReason().name(), r.stoppedBy(), r.durationSeconds(), pauses);
    }
}
