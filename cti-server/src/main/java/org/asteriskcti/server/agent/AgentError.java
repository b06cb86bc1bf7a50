package org.asteriskcti.server.agent;

/**
 * Why an agent command was refused. The {@link #id()} is a stable {@code error_id} for clients; the
 * {@link #status()} is the HTTP status the client API answers with.
 */
public enum AgentError {
    UNKNOWN_AGENT("agent.unknown", 404),
    ILLEGAL_TRANSITION("agent.illegal_transition", 409),
    UNKNOWN_REASON("agent.unknown_reason", 400),
    PHONE_UNREGISTERED("agent.phone_unregistered", 409),
    NOT_IN_WRAP_UP("agent.not_in_wrap_up", 409),
    WRAP_UP_LIMIT("agent.wrap_up_limit", 409),
    INVALID_REQUEST("agent.invalid_request", 400),
    OTHER_TENANT("agent.other_tenant", 403);

    private final String id;
    private final int status;

    AgentError(String id, int status) {
        this.id = id;
        this.status = status;
    }

    public String id() {
        return id;
    }

    public int status() {
        return status;
    }
}
