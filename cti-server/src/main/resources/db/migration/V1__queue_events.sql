-- The ACD's statistics log (acd/stats/QueueEvent): one row per event, appended in the order the
-- domain loop logged them. Runs unchanged on PostgreSQL and on H2 in MODE=PostgreSQL.
--
-- payload is the whole event as JSON (storage/QueueEventJson), exact to the nanosecond: it is what
-- the server reads back. The other columns repeat a few of its fields so that reports and operators
-- can select and index by them in plain SQL; occurred_at is rounded down to the microsecond
-- (PostgreSQL's precision) and the exact time is in payload.at.
CREATE TABLE queue_event (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Null only for an event about a queue the server could not place in a tenant (not configured).
    tenant_id   VARCHAR,
    -- Null for agent events (AgentStateInterval), which belong to no queue.
    queue_id    VARCHAR,
    entry_id    VARCHAR,
    agent_id    VARCHAR,
    -- The QueueEvent subtype: Entered, Offered, OfferEnded, Answered, Abandoned, Overflowed,
    -- CallbackRequested, Completed, AgentStateInterval.
    event_type  VARCHAR(40) NOT NULL,
    payload     VARCHAR NOT NULL
);

CREATE INDEX queue_event_occurred_at ON queue_event (occurred_at);
CREATE INDEX queue_event_tenant_occurred_at ON queue_event (tenant_id, occurred_at);
