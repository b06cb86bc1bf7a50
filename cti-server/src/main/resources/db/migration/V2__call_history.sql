-- Each agent's call history (history/CallHistory): one row per agent per ended call, as that agent
-- saw it. Written by one background writer in the order calls ended (id is that order); only each
-- agent's newest history.per-agent rows are kept (the writer deletes older ones): this is what
-- desktops are shown, not an archive of calls. Runs unchanged on PostgreSQL and on H2 in
-- MODE=PostgreSQL.
CREATE TABLE call_history (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        VARCHAR NOT NULL,
    agent_id         VARCHAR NOT NULL,
    -- The call's Linkedid.
    call_id          VARCHAR NOT NULL,
    -- From the agent's point of view: INBOUND, OUTBOUND, INTERNAL.
    direction        VARCHAR(16) NOT NULL,
    -- The other party: the caller (inbound), the number dialled (outbound), the other agent's
    -- extension (internal); empty when unknown.
    other_number     VARCHAR NOT NULL,
    other_name       VARCHAR NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Null when the agent was never connected.
    answered_at      TIMESTAMP WITH TIME ZONE,
    ended_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    talk_seconds     BIGINT NOT NULL,
    -- The agent's outcome: ANSWERED, MISSED, UNANSWERED.
    disposition      VARCHAR(16) NOT NULL,
    -- The call's own: ANSWERED, ABANDONED, UNANSWERED.
    call_disposition VARCHAR(16) NOT NULL,
    queue_id         VARCHAR,
    -- The call's recording ids as a JSON array of strings ([] when none).
    recordings       VARCHAR NOT NULL,
    CONSTRAINT call_history_one_per_agent_and_call UNIQUE (tenant_id, agent_id, call_id)
);

CREATE INDEX call_history_agent_newest ON call_history (tenant_id, agent_id, id);
