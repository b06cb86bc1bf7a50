-- Call detail records (cdr/CallRecordCollector): one row per call (per Linkedid) of a tenant, written
-- once by one background writer when the call is over (ended, and its wrap-up and survey done, or
-- cdr grace after the end: see docs/reports.md "Call detail records"). Nested facts are JSON text
-- (arrays, [] when none); queue_ids and agent_ids repeat the queues and agents as ',a,b,' so that the
-- list can be filtered with LIKE on both databases. Runs unchanged on PostgreSQL and on H2 in
-- MODE=PostgreSQL. Deleted by storage.retention (by ended_at), like the statistics log.
CREATE TABLE call_record (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       VARCHAR NOT NULL,
    -- The call's Linkedid.
    call_id         VARCHAR NOT NULL,
    -- INBOUND, OUTBOUND, INTERNAL (call/Direction).
    direction       VARCHAR(16) NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- First time two of its legs were connected; null when never.
    answered_at     TIMESTAMP WITH TIME ZONE,
    ended_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    caller_number   VARCHAR NOT NULL,
    caller_name     VARCHAR NOT NULL,
    called_number   VARCHAR NOT NULL,
    -- The DID the caller dialled; null when the call did not come in on one.
    did             VARCHAR,
    -- The IVR path as JSON {"flow":..,"language":..,"region":..,"choices":[{"node":..,"key":..}]}; null when no flow.
    ivr             VARCHAR,
    -- JSON array of the caller's queue visits, in order: queue, entry, entered_at, outcome, waited_seconds, agent.
    queues          VARCHAR NOT NULL,
    queue_ids       VARCHAR NOT NULL,
    -- Whole seconds; see docs/reports.md for each definition.
    wait_seconds    BIGINT NOT NULL,
    ring_seconds    BIGINT NOT NULL,
    talk_seconds    BIGINT NOT NULL,
    hold_seconds    BIGINT NOT NULL,
    wrap_up_seconds BIGINT NOT NULL,
    -- JSON array of agent ids in the order they were first connected.
    agents          VARCHAR NOT NULL,
    agent_ids       VARCHAR NOT NULL,
    -- JSON array of transfers and conference joins: kind, from_agent, to, at.
    chain           VARCHAR NOT NULL,
    -- JSON array of recording ids.
    recordings      VARCHAR NOT NULL,
    voicemail_id    VARCHAR,
    -- ANSWERED, NO_RESPONSE, HUNG_UP, INTERRUPTED; null when no survey. Score 1..5, 0 unless ANSWERED.
    survey_outcome  VARCHAR(16),
    survey_score    INTEGER,
    -- ANSWERED, ABANDONED, SHORT_ABANDON, OVERFLOWED, VOICEMAIL, CALLBACK, UNANSWERED, FAILED (cdr/CdrDisposition).
    disposition     VARCHAR(16) NOT NULL,
    -- False when the call was not seen from its start (begun before this process, first seen at a resync or
    -- while the model was stale): what happened before is missing.
    complete        BOOLEAN NOT NULL,
    -- JSON array of legs: channel, endpoint, role, agent, created_at, answered_at, ended_at, cause.
    legs            VARCHAR NOT NULL,
    CONSTRAINT call_record_one_per_call UNIQUE (tenant_id, call_id)
);

CREATE INDEX call_record_tenant_started ON call_record (tenant_id, started_at, id);
CREATE INDEX call_record_ended_at ON call_record (ended_at);
