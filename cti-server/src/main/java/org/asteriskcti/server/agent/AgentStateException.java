package org.asteriskcti.server.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.asteriskcti.server.domain.AgentId;

/** An agent command refused by the state machine or its rules; carries a stable {@code error_id}. */
public final class AgentStateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final AgentError error;
    private final AgentId agent;
    private final transient Map<String, Object> details;

    public AgentStateException(AgentError error, AgentId agent, String message, Map<String, Object> details) {
        super(error.id() + ": agent " + agent + ": " + message);
        this.error = error;
        this.agent = agent;
        this.details = Map.copyOf(details);
    }

    public AgentStateException(AgentError error, AgentId agent, String message) {
        this(error, agent, message, Map.of());
    }

    static AgentStateException illegal(AgentId agent, AgentState from, AgentState to, String why) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", from.name());
        d.put("to", to.name());
        return new AgentStateException(AgentError.ILLEGAL_TRANSITION, agent, from + " -> " + to + ": " + why, d);
    }

    public AgentError error() {
        return error;
    }

    /** The stable error id, e.g. {@code agent.illegal_transition}. */
    public String errorId() {
        return error.id();
    }

    public int status() {
        return error.status();
    }

    public AgentId agent() {
        return agent;
    }

    public Map<String, Object> details() {
        return details;
    }
}
