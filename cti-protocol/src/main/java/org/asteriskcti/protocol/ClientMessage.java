package org.asteriskcti.protocol;

import java.util.List;

/**
 * A client -> server message. {@code id} is the client's request id, echoed in the reply or error.
 * Shapes: {@code {"type":"subscribe","id":"1","topics":["calls"]}},
 * {@code {"type":"unsubscribe","id":"2","topics":["calls"]}}, {@code {"type":"ping","id":"3"}}, and the
 * agent commands ({@link Protocol.Type#AGENT_COMMANDS}), e.g.
 * {@code {"type":"agent.not_ready","id":"4","agent":"agent-1001","reason":"lunch"}}. Fields a type does
 * not use are null (and left out of the JSON).
 *
 * @param agent   agent commands: the agent acted on; null means the user's own agent
 * @param ready   {@code agent.login}: READY at once (default false: NOT_READY "login")
 * @param reason  {@code agent.not_ready}, {@code agent.force} to NOT_READY: one of the tenant's reasons
 * @param seconds {@code agent.wrap_up.extend}: how much later wrap-up ends (positive)
 * @param state   {@code agent.force}: READY, NOT_READY or LOGGED_OUT
 */
public record ClientMessage(String type, String id, List<String> topics, String agent, Boolean ready, String reason,
        Long seconds, String state) {

    /** subscribe, unsubscribe, ping. */
    public ClientMessage(String type, String id, List<String> topics) {
        this(type, id, topics, null, null, null, null, null);
    }

    /** An agent command of {@code type} on {@code agent} (null: the user's own), other fields unset. */
    public static ClientMessage agentCommand(String type, String id, String agent) {
        return new ClientMessage(type, id, null, agent, null, null, null, null);
    }

    public ClientMessage withAgent(String v) {
        return new ClientMessage(type, id, topics, v, ready, reason, seconds, state);
    }

    public ClientMessage withReady(Boolean v) {
        return new ClientMessage(type, id, topics, agent, v, reason, seconds, state);
    }

    public ClientMessage withReason(String v) {
        return new ClientMessage(type, id, topics, agent, ready, v, seconds, state);
    }

    public ClientMessage withSeconds(Long v) {
        return new ClientMessage(type, id, topics, agent, ready, reason, v, state);
    }

    public ClientMessage withState(String v) {
        return new ClientMessage(type, id, topics, agent, ready, reason, seconds, v);
    }
}
