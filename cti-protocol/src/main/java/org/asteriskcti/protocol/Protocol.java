package org.asteriskcti.protocol;

/**
 * Constants of the client API, version {@value #VERSION}. The full contract (every message with its
 * fields) is docs/asyncapi.yaml; this class and the records beside it are its Java form, shared by the
 * server and the softphone.
 */
public final class Protocol {
    private Protocol() {}

    /** Protocol version carried in every server frame as {@code "v"}. */
    public static final int VERSION = 1;

    /** WebSocket path. Query parameters: access_token, resume (session id), last_seq. */
    public static final String WS_PATH = "/ws";

    /** Message types. */
    public static final class Type {
        private Type() {}

        // server -> client, outside the stream (no seq)
        public static final String WELCOME = "welcome";
        public static final String REPLY = "reply";
        public static final String ERROR = "error";
        public static final String PONG = "pong";
        // server -> client, on the stream (with seq)
        public static final String SNAPSHOT = "snapshot";
        public static final String EVENT = "event";
        // client -> server
        public static final String SUBSCRIBE = "subscribe";
        public static final String UNSUBSCRIBE = "unsubscribe";
        public static final String PING = "ping";

        // client -> server: ACD agent commands. Each is answered by a reply (data: the agent after the
        // command, see AgentInfo) or an error with a stable error_id. "agent" names the agent acted on;
        // an agent user may leave it out (their own agent) and may name no other.
        /** Log in: {@code ready} (optional, default false) asks for READY at once instead of NOT_READY("login"). */
        public static final String AGENT_LOGIN = "agent.login";
        public static final String AGENT_LOGOUT = "agent.logout";
        public static final String AGENT_READY = "agent.ready";
        /** NOT_READY with {@code reason}, one of the tenant's configured reasons. */
        public static final String AGENT_NOT_READY = "agent.not_ready";
        public static final String AGENT_WRAP_UP_END = "agent.wrap_up.end";
        /** Move the end of wrap-up {@code seconds} later, within the queue's max wrap-up. */
        public static final String AGENT_WRAP_UP_EXTEND = "agent.wrap_up.extend";
        /** Supervisors and admins: force {@code state} (READY, NOT_READY with {@code reason}, LOGGED_OUT). */
        public static final String AGENT_FORCE = "agent.force";

        // client -> server: call control (see CallCommand). Each is answered by a reply whose data is the
        // conversation after the command (ConversationInfo), or an error with a stable error_id.
        public static final String CALL_DIAL = "call.dial";
        public static final String CALL_HANGUP = "call.hangup";
        public static final String CALL_HOLD = "call.hold";
        public static final String CALL_UNHOLD = "call.unhold";
        public static final String CALL_MUTE = "call.mute";
        public static final String CALL_UNMUTE = "call.unmute";
        public static final String CALL_DTMF = "call.dtmf";
        public static final String CALL_TRANSFER_BLIND = "call.transfer.blind";
        public static final String CALL_TRANSFER_ATTENDED = "call.transfer.attended";
        public static final String CALL_TRANSFER_SWAP = "call.transfer.swap";
        public static final String CALL_TRANSFER_COMPLETE = "call.transfer.complete";
        public static final String CALL_TRANSFER_CANCEL = "call.transfer.cancel";
        public static final String CALL_TRANSFER_CONFERENCE = "call.transfer.conference";
        public static final String CALL_CONFERENCE_ADD = "call.conference.add";
        public static final String CALL_CONFERENCE_KICK = "call.conference.kick";
        public static final String CALL_CONFERENCE_MUTE = "call.conference.mute";
        public static final String CALL_CONFERENCE_LIST = "call.conference.list";
        /** Take a call ringing elsewhere or waiting: target agent:<id>, queue:<id> or entry:<id>. */
        public static final String CALL_PICKUP = "call.pickup";
        /** Recording of the agent's call (or {@code call}): start, stop, pause (PCI: silence, audited), resume. */
        public static final String CALL_RECORD_START = "call.record.start";
        public static final String CALL_RECORD_STOP = "call.record.stop";
        public static final String CALL_RECORD_PAUSE = "call.record.pause";
        public static final String CALL_RECORD_RESUME = "call.record.resume";
        // Supervisors and admins: listen to / whisper to / barge into a call of their tenant from their phone
        // (reply data: the monitoring session, MonitorInfo). Sent again for the same call, they switch the mode
        // of the running session; another call while one runs is refused (monitor.in_progress).
        public static final String CALL_MONITOR_LISTEN = "call.monitor.listen";
        public static final String CALL_MONITOR_WHISPER = "call.monitor.whisper";
        public static final String CALL_MONITOR_BARGE = "call.monitor.barge";
        public static final String CALL_MONITOR_STOP = "call.monitor.stop";

        /** Every call-control command type. */
        public static final java.util.Set<String> CALL_COMMANDS = java.util.Set.of(CALL_DIAL, CALL_HANGUP, CALL_HOLD,
                CALL_UNHOLD, CALL_MUTE, CALL_UNMUTE, CALL_DTMF, CALL_TRANSFER_BLIND, CALL_TRANSFER_ATTENDED,
                CALL_TRANSFER_SWAP, CALL_TRANSFER_COMPLETE, CALL_TRANSFER_CANCEL, CALL_TRANSFER_CONFERENCE,
                CALL_CONFERENCE_ADD, CALL_CONFERENCE_KICK, CALL_CONFERENCE_MUTE, CALL_CONFERENCE_LIST, CALL_PICKUP,
                CALL_RECORD_START, CALL_RECORD_STOP, CALL_RECORD_PAUSE, CALL_RECORD_RESUME,
                CALL_MONITOR_LISTEN, CALL_MONITOR_WHISPER, CALL_MONITOR_BARGE, CALL_MONITOR_STOP);

        /** The call-control commands of supervision (also in {@link #CALL_COMMANDS}). */
        public static final java.util.Set<String> MONITOR_COMMANDS = java.util.Set.of(CALL_MONITOR_LISTEN,
                CALL_MONITOR_WHISPER, CALL_MONITOR_BARGE, CALL_MONITOR_STOP);

        /** Every agent command type. */
        public static final java.util.Set<String> AGENT_COMMANDS = java.util.Set.of(AGENT_LOGIN, AGENT_LOGOUT,
                AGENT_READY, AGENT_NOT_READY, AGENT_WRAP_UP_END, AGENT_WRAP_UP_EXTEND, AGENT_FORCE);
    }

    /** Topics a client subscribes to; all are inside the user's own tenant. */
    public static final class Topics {
        private Topics() {}

        /** Always subscribed: the model's sync state (stale / synced) and link states. */
        public static final String SYSTEM = "system";
        /** All active calls of the tenant (supervisors and admins only). */
        public static final String CALLS = "calls";
        /** All agents of the tenant with their state. */
        public static final String AGENTS = "agents";
        /** One agent: {@code agent:<agent id>} — its state, the calls it is on and its call history. */
        public static final String AGENT_PREFIX = "agent:";
        /** One ACD queue: {@code queue:<queue id>} — its callers and real-time statistics. */
        public static final String QUEUE_PREFIX = "queue:";
    }

    /** Event names inside {@code type: event} frames. */
    public static final class Events {
        private Events() {}

        public static final String SYNC = "sync";
        public static final String CALL_UPDATED = "call.updated";
        public static final String CALL_ENDED = "call.ended";
        /** An agent's phone or ACD state changed (data: {@link AgentInfo}). */
        public static final String AGENT_UPDATED = "agent.updated";
        // A caller's visit to an ACD queue (data: QueueCall), on queue:<id> and the agent:<id> involved.
        /** The caller entered the queue (new, transferred, overflowed from another queue, or restored). */
        public static final String QUEUE_CALL_ENTERED = "queue.call.entered";
        /** An agent's phone rings for the caller. */
        public static final String QUEUE_CALL_OFFERED = "queue.call.offered";
        /** The offer ended unanswered (no answer, busy, rejected, withdrawn): the caller waits again. */
        public static final String QUEUE_CALL_REQUEUED = "queue.call.requeued";
        /** The agent answered: caller and agent are connected. */
        public static final String QUEUE_CALL_ANSWERED = "queue.call.answered";
        /** The visit is over: state COMPLETED, ABANDONED, OVERFLOWED or CALLBACK_REQUESTED. */
        public static final String QUEUE_CALL_ENDED = "queue.call.ended";
        /** A conversation under call control changed (data: ConversationInfo), on calls and agent:<id> of its agents. */
        public static final String CONVERSATION_UPDATED = "conversation.updated";
        /** A conversation ended (data: ConversationInfo with state ENDED). */
        public static final String CONVERSATION_ENDED = "conversation.ended";
        /** A supervisor's monitoring session changed (data: MonitorInfo), on calls only: the agent is not told. */
        public static final String MONITOR_UPDATED = "monitor.updated";
        /** A monitoring session ended (data: MonitorInfo with state ENDED and the reason). */
        public static final String MONITOR_ENDED = "monitor.ended";
        /** A queue's real-time statistics (data: QueueStats), at most once per second per queue. */
        public static final String QUEUE_STATS = "queue.stats";
        // A call recording (data: RecordingInfo), on calls and the agent:<id> of every agent on it.
        /** Asterisk is recording the call's bridge. */
        public static final String RECORDING_STARTED = "recording.started";
        /** Paused (e.g. while a card number is spoken): the file gets silence until resumed. */
        public static final String RECORDING_PAUSED = "recording.paused";
        public static final String RECORDING_RESUMED = "recording.resumed";
        /** Another agent joined the recorded call (transfer, conference). */
        public static final String RECORDING_UPDATED = "recording.updated";
        /** Ended: stopped, the call ended, or Asterisk ended or failed it (state STOPPED or FAILED). */
        public static final String RECORDING_STOPPED = "recording.stopped";
        /** A call ended: one more entry in an agent's call history (data: CallHistoryEntry), on agent:<id>. */
        public static final String HISTORY_ADDED = "history.added";
        // Voicemail (data: VoicemailInfo), on calls (the tenant's supervisors).
        /** A caller left a message (a queue's overflow, an IVR flow's voicemail node): state NEW. */
        public static final String VOICEMAIL_ADDED = "voicemail.added";
        /** A message was marked heard (state HEARD, heard_by, heard_at). */
        public static final String VOICEMAIL_UPDATED = "voicemail.updated";
        /** A message was deleted (its audio too). */
        public static final String VOICEMAIL_DELETED = "voicemail.deleted";
    }

    /** WebSocket close codes the server uses (4xxx are application codes). */
    public static final class CloseCodes {
        private CloseCodes() {}

        /** Too many malformed frames. */
        public static final int PROTOCOL_VIOLATION = 4400;
        /** No token in the query (access_token) or Authorization header. */
        public static final int TOKEN_MISSING = 4401;
        /** Token malformed, wrongly signed, or its user no longer exists. */
        public static final int TOKEN_INVALID = 4402;
        /** Token expired (at connect, or while connected). Log in again. */
        public static final int TOKEN_EXPIRED = 4403;
        /** Nothing received from the client within the heartbeat timeout. */
        public static final int HEARTBEAT_TIMEOUT = 4408;
        /** The same session was resumed on another connection. */
        public static final int SESSION_TAKEN_OVER = 4409;
        /** The client read too slowly; its backlog outgrew the replay buffer. Resume to get a snapshot. */
        public static final int SLOW_CONSUMER = 4429;
        /** Server shutting down. */
        public static final int GOING_AWAY = 1001;
    }

    /** Stable error ids (REST {@code error_id} and WebSocket {@code error} messages). */
    public static final class Errors {
        private Errors() {}

        public static final String MALFORMED_JSON = "protocol.malformed_json";
        public static final String UNKNOWN_TYPE = "protocol.unknown_type";
        public static final String MISSING_FIELD = "protocol.missing_field";
        public static final String BINARY_NOT_SUPPORTED = "protocol.binary_not_supported";
        public static final String TOPIC_UNKNOWN = "subscription.unknown_topic";
        public static final String TOPIC_DENIED = "subscription.denied";
        public static final String INVALID_CREDENTIALS = "auth.invalid_credentials";
        public static final String TOKEN_MISSING = "auth.token_missing";
        public static final String TOKEN_INVALID = "auth.token_invalid";
        public static final String TOKEN_EXPIRED = "auth.token_expired";
        public static final String FORBIDDEN = "auth.forbidden";
        public static final String NOT_FOUND = "http.not_found";
        public static final String METHOD_NOT_ALLOWED = "http.method_not_allowed";
        public static final String BAD_REQUEST = "http.bad_request";
        public static final String PAYLOAD_TOO_LARGE = "http.payload_too_large";
        public static final String INTERNAL = "server.internal_error";
        // ACD commands and queries
        // call control
        /** The command_id was used before for a different command. */
        public static final String COMMAND_ID_REUSED = "command.id_reused";
        public static final String CALL_NO_ACTIVE_CALL = "call.no_active_call";
        public static final String CALL_UNKNOWN = "call.unknown";
        public static final String CALL_AGENT_BUSY = "call.agent_busy";
        public static final String CALL_INVALID_NUMBER = "call.invalid_number";
        public static final String CALL_INVALID_TARGET = "call.invalid_target";
        public static final String CALL_NOT_POSSIBLE = "call.not_possible";
        public static final String CALL_UNKNOWN_PARTY = "call.unknown_party";
        public static final String CALL_NO_PHONE = "call.no_phone";
        public static final String CALL_ASTERISK_FAILED = "call.asterisk_failed";
        public static final String TRANSFER_IN_PROGRESS = "transfer.in_progress";
        public static final String TRANSFER_NONE = "transfer.none";
        public static final String CALL_CONTROL_DISABLED = "call.control_disabled";
        /** Nothing to pick up there (nobody rings or waits, or not in your tenant). */
        public static final String PICKUP_NOT_AVAILABLE = "pickup.not_available";
        /** Attended transfer to a queue: no agent of that queue is free now. */
        public static final String TRANSFER_NO_AGENT_AVAILABLE = "transfer.no_agent_available";
        /** call.monitor.* for another call while the supervisor's session on one runs; details name it. */
        public static final String MONITOR_IN_PROGRESS = "monitor.in_progress";
        /** call.monitor.stop without a running session (of that call). */
        public static final String MONITOR_NONE = "monitor.none";
        /** No such agent in the user's tenant (another tenant's agent is refused exactly like this). */
        public static final String AGENT_UNKNOWN = "agent.unknown";
        /** The agent's state does not allow it (e.g. ready while a call rings, log in twice). */
        public static final String AGENT_ILLEGAL_TRANSITION = "agent.illegal_transition";
        /** The not-ready reason is not one of the tenant's configured reasons; details name it and the allowed ones. */
        public static final String AGENT_UNKNOWN_REASON = "agent.unknown_reason";
        /** READY asked while the agent's phone is not registered. */
        public static final String AGENT_PHONE_UNREGISTERED = "agent.phone_unregistered";
        public static final String AGENT_NOT_IN_WRAP_UP = "agent.not_in_wrap_up";
        /** The extension would go past the queue's max wrap-up; details give the limit and what is left. */
        public static final String AGENT_WRAP_UP_LIMIT = "agent.wrap_up_limit";
        /** A field missing or of the wrong kind (reason, seconds, state, ready, agent); details name it. */
        public static final String AGENT_INVALID_REQUEST = "agent.invalid_request";
        /** No such queue in the user's tenant (another tenant's queue is refused exactly like this). */
        public static final String ACD_UNKNOWN_QUEUE = "acd.unknown_queue";
        /** This server runs without the ACD: agent commands and queues are not available. */
        public static final String ACD_DISABLED = "acd.disabled";
        // Call recording (recording.RecordingError)
        /** No such recording in your tenant (another tenant's recording is refused exactly like this). */
        public static final String RECORDING_UNKNOWN = "recording.unknown";
        /** The tenant's or queue's recording policy does not allow it (NEVER: no start; ALWAYS: no stop). */
        public static final String RECORDING_FORBIDDEN_BY_POLICY = "recording.forbidden_by_policy";
        /** The call is being recorded already. */
        public static final String RECORDING_ALREADY_ACTIVE = "recording.already_active";
        /** The recording has ended (or the call ended before it started). */
        public static final String RECORDING_NOT_ACTIVE = "recording.not_active";
        public static final String RECORDING_ALREADY_PAUSED = "recording.already_paused";
        public static final String RECORDING_NOT_PAUSED = "recording.not_paused";
        /** A field missing or of the wrong kind; details name it. */
        public static final String RECORDING_INVALID_REQUEST = "recording.invalid_request";
        /** The audio of a recording that is still going on was asked for. */
        public static final String RECORDING_IN_PROGRESS = "recording.in_progress";
        /** Asterisk has no file for the recording (deleted, or never written). */
        public static final String RECORDING_AUDIO_MISSING = "recording.audio_missing";
        /** The IVR flows of a reload do not load (or would leave a route without its flow); nothing changed. */
        public static final String IVR_INVALID_FLOWS = "ivr.invalid_flows";
        /** The server runs no IVR flows (ivr.dir is not set). */
        public static final String IVR_DISABLED = "ivr.disabled";
        /** Asterisk refused the command or did not answer; details say what it said. */
        public static final String RECORDING_ASTERISK_FAILED = "recording.asterisk_failed";
        // Call history
        /** A query parameter of a history request is wrong (limit out of range); details name it. */
        public static final String HISTORY_INVALID_REQUEST = "history.invalid_request";
        // Voicemail (voicemail.VoicemailError)
        /** No such message in your tenant (another tenant's message is refused exactly like this). */
        public static final String VOICEMAIL_UNKNOWN = "voicemail.unknown";
        /** A query parameter is wrong (mailbox, state, limit); details name it. */
        public static final String VOICEMAIL_INVALID_REQUEST = "voicemail.invalid_request";
        /** Asterisk has no file for the message any more. */
        public static final String VOICEMAIL_AUDIO_MISSING = "voicemail.audio_missing";
        /** Asterisk refused (reading or deleting the audio) or did not answer. */
        public static final String VOICEMAIL_ASTERISK_FAILED = "voicemail.asterisk_failed";
        // Reports (GET /api/v1/reports/...)
        /** A query parameter of a report is missing or wrong (from, to, interval, format, range too long); details.field names it. */
        public static final String REPORT_INVALID_REQUEST = "report.invalid_request";
        /** The queue, agent or DID asked for is not one of your tenant's (another tenant's is refused exactly like this); details.field names the parameter. */
        public static final String REPORT_UNKNOWN = "report.unknown";
    }
}
