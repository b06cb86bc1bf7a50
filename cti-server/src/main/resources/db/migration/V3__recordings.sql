-- Call recordings (recording/RecordingView): one row per recording, its agents and its pauses. The
-- audio stays in Asterisk's recording directory as <file_name>; these rows say whose it is, who may
-- hear it, and who kept what out of it (every PCI pause with who and when). A row is written when
-- Asterisk confirmed the recording started and rewritten at each change (pause, resume, agent, end).
-- Runs unchanged on PostgreSQL and on H2 in MODE=PostgreSQL. Times are UTC, to the microsecond.
CREATE TABLE recording (
    id               VARCHAR(64) PRIMARY KEY,
    tenant_id        VARCHAR NOT NULL,
    call_id          VARCHAR NOT NULL,
    -- The ACD queue the call came through; null for none.
    queue_id         VARCHAR,
    bridge_id        VARCHAR NOT NULL,
    -- Asterisk's name of the recording (ours: cti-<tenant>-<call>-<random>) and the stored file, name.format.
    recording_name   VARCHAR NOT NULL,
    file_name        VARCHAR NOT NULL,
    format           VARCHAR(16) NOT NULL,
    -- ALWAYS or ON_DEMAND: the policy in force when it started.
    policy           VARCHAR(16) NOT NULL,
    -- RECORDING, PAUSED, STOPPED, FAILED (recording/RecordingStatus).
    state            VARCHAR(16) NOT NULL,
    -- The user who started it, or 'policy'.
    started_by       VARCHAR NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at         TIMESTAMP WITH TIME ZONE,
    -- STOPPED, CALL_ENDED, ENDED_BY_ASTERISK, FAILED (recording/EndReason); null while it goes on.
    end_reason       VARCHAR(32),
    stopped_by       VARCHAR,
    -- The file's length: Asterisk's (RecordingFinished) when it told, else end minus start.
    duration_seconds INTEGER
);

CREATE INDEX recording_tenant_call ON recording (tenant_id, call_id);
CREATE INDEX recording_tenant_started_at ON recording (tenant_id, started_at);

-- The agents on the recorded call, in order of joining: they may fetch it.
CREATE TABLE recording_agent (
    recording_id VARCHAR(64) NOT NULL REFERENCES recording (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    agent_id     VARCHAR NOT NULL,
    PRIMARY KEY (recording_id, position)
);

CREATE INDEX recording_agent_agent ON recording_agent (agent_id);

-- Every pause (Asterisk mute: silence in the file, the timeline kept), oldest first. resumed_at is the
-- recording's end for a pause still open when it ended (ended_with_recording), null while paused.
CREATE TABLE recording_pause (
    recording_id         VARCHAR(64) NOT NULL REFERENCES recording (id) ON DELETE CASCADE,
    position             INTEGER NOT NULL,
    paused_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    paused_by            VARCHAR NOT NULL,
    reason               VARCHAR,
    resumed_at           TIMESTAMP WITH TIME ZONE,
    resumed_by           VARCHAR,
    ended_with_recording BOOLEAN NOT NULL,
    PRIMARY KEY (recording_id, position)
);
