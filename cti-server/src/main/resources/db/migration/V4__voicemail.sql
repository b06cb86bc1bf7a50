-- Voicemail messages (voicemail/VoicemailMessage): callers sent to voicemail by a queue's overflow or an
-- IVR flow's voicemail node, recorded by the CTI over ARI. The audio stays in Asterisk's recording
-- directory as <file_name> (a stored recording named <recording_name>); these rows say whose message it
-- is (tenant, mailbox), who left it, where they came from, and who heard it. A row is written (state
-- RECORDING) before Asterisk is asked to record, so that a restarted CTI finds a message being recorded;
-- it becomes NEW when Asterisk finished the file, HEARD when a supervisor marks it. Too-short messages
-- and deleted ones are removed. Runs unchanged on PostgreSQL and on H2 in MODE=PostgreSQL; times UTC.
CREATE TABLE voicemail_message (
    id               VARCHAR(64) PRIMARY KEY,
    tenant_id        VARCHAR NOT NULL,
    -- The box as configured (queues[].overflow.voicemail, an IVR voicemail node), e.g. 1000@default.
    mailbox          VARCHAR NOT NULL,
    -- The caller's number and name as Asterisk had them; empty when withheld or unknown.
    caller_number    VARCHAR NOT NULL,
    caller_name      VARCHAR NOT NULL,
    -- QUEUE (an overflow) or FLOW (an IVR flow), and the queue's or flow's id.
    origin_kind      VARCHAR(16) NOT NULL,
    origin_id        VARCHAR NOT NULL,
    -- The caller's channel: a restarted CTI finds the caller again by it.
    channel_id       VARCHAR NOT NULL,
    -- Asterisk's name of the recording (ours: vm-<tenant>-<random>) and the stored file, name.format.
    recording_name   VARCHAR NOT NULL,
    file_name        VARCHAR NOT NULL,
    format           VARCHAR(16) NOT NULL,
    -- RECORDING, NEW, HEARD (voicemail/MessageState).
    state            VARCHAR(16) NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at         TIMESTAMP WITH TIME ZONE,
    -- The file's length in whole seconds (Asterisk's RecordingFinished, else the file's size); null while RECORDING.
    duration_seconds INTEGER,
    heard_by         VARCHAR,
    heard_at         TIMESTAMP WITH TIME ZONE
);

CREATE INDEX voicemail_message_tenant_started ON voicemail_message (tenant_id, started_at);
CREATE INDEX voicemail_message_tenant_mailbox ON voicemail_message (tenant_id, mailbox, started_at);
CREATE INDEX voicemail_message_state ON voicemail_message (state);
