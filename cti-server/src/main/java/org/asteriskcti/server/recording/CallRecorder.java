package org.asteriskcti.server.recording;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.asteriskcti.server.control.CallControl;
import org.asteriskcti.server.control.Conversation;
import org.asteriskcti.server.control.Participant;
import org.asteriskcti.server.control.PartyState;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording of conversations (call control's calls), on the domain loop:
 * <ul>
 *   <li>policy ALWAYS: the conversation's bridge is recorded as soon as two parties talk (an ACD call
 *       from the agent's answer, a dialled call from the customer's answer);</li>
 *   <li>agents and supervisors start, pause (PCI: silence in the file), resume and stop it through the
 *       call commands ({@link #start} ...);</li>
 *   <li>an agent who joins the call (transfer, conference) is added to the recording, so they may hear it;</li>
 *   <li>the conversation's end ends its recording.</li>
 * </ul>
 * After a CTI restart the conversation's recording of before (taken back by {@link RecordingService#recover})
 * is found by the conversation's bridge ({@link RecordingService#activeOn}) the first time the conversation
 * changes or a command comes for it, and goes on as if nothing had happened.
 * One recording per conversation at a time; a customer transferred into a queue gets a new conversation
 * (and, under ALWAYS, a new recording) with the next agent.
 */
public final class CallRecorder implements CallControl.Listener {

    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    private final DomainLoop loop;
    private final RecordingService recordings;
    /** The call model's id of the call a channel is in (its Linkedid), when known. */
    private final Function<ChannelId, Optional<CallId>> callOf;
    /** Conversation id → its recording (running or starting). */
    private final Map<String, RecordingId> byConversation = new HashMap<>();
    private final Map<String, CompletableFuture<RecordingView>> starting = new HashMap<>();
    /** Conversation id → the agents already on its recording. */
    private final Map<String, Set<AgentId>> agentsOn = new HashMap<>();

    public CallRecorder(DomainLoop loop, RecordingService recordings, Function<ChannelId, Optional<CallId>> callOf) {
        this.loop = loop;
        this.recordings = recordings;
        this.callOf = callOf;
    }

    @Override
    public void conversationChanged(Conversation c) {
        String id = c.id();
        RecordingId rec = known(c);
        if (c.ended()) {
            if (byConversation.remove(id) != null || starting.remove(id) != null) {
                recordings.bridgeGone(c.bridge());
            }
            agentsOn.remove(id);
            return;
        }
        if (rec != null) {
            Set<AgentId> on = agentsOn.computeIfAbsent(id, k -> new HashSet<>());
            for (AgentId a : connectedAgents(c)) {
                if (on.add(a)) {
                    recordings.addAgent(rec, a).whenComplete((v, err) -> {
                        if (err != null) {
                            log.warn("recording {}: could not add agent {}: {}", rec, a, err.toString());
                        }
                    });
                }
            }
            return;
        }
        if (!starting.containsKey(id) && talking(c)
                && recordings.policyFor(c.tenant(), c.queue()) == RecordingPolicy.ALWAYS) {
            begin(c, RecordingRequest.POLICY).whenComplete((v, err) -> {
                if (err != null) {
                    log.warn("conversation {}: the policy's recording did not start: {}", id, err.toString());
                }
            });
        }
    }

    /** Starts recording the conversation (a user's command; or the policy). */
    public CompletableFuture<RecordingView> start(Conversation c, String by) {
        loop.assertInLoop();
        if (known(c) != null || starting.containsKey(c.id())) {
            return CompletableFuture.failedFuture(new RecordingException(RecordingError.ALREADY_ACTIVE,
                    "the call " + c.id() + " is already being recorded", Map.of("call", c.id())));
        }
        return begin(c, by);
    }

    public CompletableFuture<RecordingView> stop(Conversation c, String by) {
        return recordings.stop(require(c), by).whenCompleteAsync((v, err) -> {
            if (err == null) {
                byConversation.remove(c.id());
                agentsOn.remove(c.id());
            }
        }, loop);
    }

    /** PCI pause: silence in the file from now until {@link #resume}; audited with who and when. */
    public CompletableFuture<RecordingView> pause(Conversation c, String by, String reason) {
        return recordings.pause(require(c), by, reason);
    }

    public CompletableFuture<RecordingView> resume(Conversation c, String by) {
        return recordings.resume(require(c), by);
    }

    /** The conversation's recording, if one runs. */
    public Optional<RecordingId> of(Conversation c) {
        return Optional.ofNullable(known(c));
    }

    /**
     * The conversation's recording: ours, or one of the service's on its bridge that we did not know of (taken
     * back after a restart), which is then ours too. Null when none runs (or one is starting).
     */
    private RecordingId known(Conversation c) {
        RecordingId r = byConversation.get(c.id());
        if (r != null || starting.containsKey(c.id())) {
            return r;
        }
        Optional<RecordingView> running = recordings.activeOn(c.bridge());
        if (running.isEmpty() || running.get().status() == RecordingStatus.STARTING) {
            return null;
        }
        RecordingView v = running.get();
        byConversation.put(c.id(), v.id());
        agentsOn.put(c.id(), new HashSet<>(v.agents()));
        log.info("conversation {}: its recording {} ({}) goes on", c.id(), v.id(), v.status());
        return v.id();
    }

    private RecordingId require(Conversation c) {
        RecordingId r = known(c);
        if (r == null) {
            throw new RecordingException(RecordingError.NOT_ACTIVE, "the call " + c.id() + " is not being recorded",
                    Map.of("call", c.id()));
        }
        return r;
    }

    private CompletableFuture<RecordingView> begin(Conversation c, String by) {
        String id = c.id();
        List<AgentId> agents = connectedAgents(c);
        CallId call = callId(c);
        RecordingRequest r = new RecordingRequest(c.tenant(), call, c.bridge(), agents, c.queue(), by);
        log.info("conversation {}: recording (call {}, {}, by {})", id, call, agents, by);
        CompletableFuture<RecordingView> f = recordings.start(r);
        starting.put(id, f);
        return f.whenCompleteAsync((v, err) -> {
            starting.remove(id, f);
            if (err == null) {
                byConversation.put(id, v.id());
                agentsOn.put(id, new HashSet<>(agents));
                if (c.ended()) {
                    byConversation.remove(id);
                    recordings.bridgeGone(c.bridge());
                }
            } else if (known(c) != null && c.ended()) {
                // The bridge's recording of before a restart was found meanwhile; the call is over.
                byConversation.remove(id);
                agentsOn.remove(id);
                recordings.bridgeGone(c.bridge());
            }
        }, loop);
    }

    private CallId callId(Conversation c) {
        for (Participant p : c.parties()) {
            Optional<CallId> known = callOf.apply(p.channel());
            if (known.isPresent()) {
                return known.get();
            }
        }
        // Not (yet) in the call model: the first party's channel, which is the Linkedid of every leg we dial.
        return CallId.of(c.parties().get(0).channel().value());
    }

    private static boolean talking(Conversation c) {
        return c.active().stream().filter(p -> p.state() == PartyState.CONNECTED).count() >= 2;
    }

    private static List<AgentId> connectedAgents(Conversation c) {
        List<AgentId> out = new ArrayList<>();
        for (Participant p : c.parties()) {
            if (p.agent() != null && p.joinedAt() != null && !out.contains(p.agent())) {
                out.add(p.agent());
            }
        }
        return out;
    }
}
