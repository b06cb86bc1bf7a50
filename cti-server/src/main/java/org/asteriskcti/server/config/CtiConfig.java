package org.asteriskcti.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The whole server configuration, typed and validated. See cti-defaults.yaml for what each key means. */
public record CtiConfig(
        Http http,
        Ami ami,
        Ari ari,
        Auth auth,
        ClientApi clientApi,
        Routing routing,
        Path dataDir,
        List<Tenant> tenants,
        List<Agent> agents,
        List<User> users,
        Acd acd,
        List<Queue> queues,
        Storage storage,
        CallControl callControl,
        History history,
        Ivr ivr,
        Voicemail voicemail,
        Reports reports) {

    /**
     * The {@code reports} section: the longest range of a report per interval (a 15-minute report of a
     * year would be 35,040 rows per queue).
     */
    public record Reports(java.time.Duration maxRangeQuarterHour, java.time.Duration maxRangeHour,
            java.time.Duration maxRangeDay) {}

    /**
     * The {@code voicemail} section: how callers' messages are recorded (queue overflow, IVR voicemail nodes).
     *
     * @param maxDuration the longest message
     * @param minDuration shorter messages are discarded (and deleted from Asterisk)
     * @param maxSilence  this much silence ends a message; zero: never
     * @param greeting    sounds played before the beep
     * @param thanks      sounds played once a message is stored, before hanging up
     */
    public record Voicemail(Duration maxDuration, Duration minDuration, Duration maxSilence, List<String> greeting,
            List<String> thanks) {}

    /** @param dir where the IVR flows are ({@code <dir>/<tenant>/<flow>.yaml}); empty: no IVR flows */
    /**
     * @param dir         the IVR flows, one folder per tenant ({@code ivr.dir})
     * @param asteriskDir the same directory as Asterisk sees it ({@code ivr.asterisk-dir}; default: {@code dir}
     *                    made absolute): tenants' prompt files are played from {@code <asteriskDir>/<tenant>/prompts/}
     */
    public record Ivr(Optional<Path> dir, String asteriskDir) {}

    /**
     * @param ringTimeout how long a party dialled by call control (click-to-dial, transfer, conference) may ring
     * @param mohClass    what a held party hears
     */
    public record CallControl(Duration ringTimeout, String mohClass) {}

    /** {@code tls} present: HTTPS/WSS with these PEM files (http.tls.cert-file, http.tls.key-file). */
    public record Http(String host, int port, int maxRequestSize, java.util.Optional<Tls> tls) {
        public Http(String host, int port, int maxRequestSize) {
            this(host, port, maxRequestSize, java.util.Optional.empty());
        }
    }

    /** The server certificate chain (PEM, leaf first) and its private key (PEM, PKCS#8). */
    public record Tls(java.nio.file.Path certFile, java.nio.file.Path keyFile) {}

    public record Ami(boolean enabled, String host, int port, String username, String secret,
            Duration connectTimeout, Duration pingInterval, Duration pingTimeout,
            Duration reconnectMin, Duration reconnectMax) {}

    public record Ari(boolean enabled, URI url, String username, String password, String app,
            Duration requestTimeout, Duration reconnectMin, Duration reconnectMax) {}

    public record Auth(String tokenSecret, Duration tokenTtl) {}

    public record ClientApi(int replayBuffer, Duration sessionGrace, Duration heartbeatInterval,
            Duration heartbeatTimeout, int writeBufferLow, int writeBufferHigh, int maxFrameSize,
            int maxMalformedFrames) {}

    /** @param callbackContext the dialplan context the ACD dials a callback's customer in (Local/number@context) */
    public record Routing(String unroutedInboundContext, String callbackContext) {}

    /**
     * @param notReadyReasons replaces {@code acd.not-ready-reasons} for this tenant; empty: use those
     * @param routes          where a caller to each routed DID goes; a DID without a route goes to the
     *                        dialplan's unrouted-inbound context
     * @param recording       {@code recording.policy}: whether the tenant's calls are recorded (default ON_DEMAND)
     */
    public record Tenant(String id, String name, ZoneId timeZone, List<String> endpoints, List<String> dids,
            Optional<List<String>> notReadyReasons, List<Route> routes, Dial dial, RecordingPolicy recording) {}

    /**
     * How the tenant's agents reach numbers (click-to-dial, transfer and conference targets). An internal
     * extension is one of the tenant's {@code endpoints} and is dialled directly on its phone; anything
     * else must match {@code externalPattern} and goes out as {@code Local/<prefix><number>@<context>}.
     *
     * @param callerId shown to external numbers (e.g. the tenant's main line {@code "Acme" <8000>}); empty:
     *                 the agent's own caller id from the dialplan
     */
    public record Dial(String context, String prefix, String externalPattern, String callerId) {}

    /** {@code tenants[].recording.policy} and {@code queues[].recording.policy}. */
    public enum RecordingPolicy {
        ALWAYS,
        ON_DEMAND,
        NEVER
    }

    /**
     * An inbound entry: callers to {@code did} enter queue {@code queue} of the tenant, with this priority
     * (higher is served first) and, when given, this language (only agents speaking it take them) — or,
     * when {@code flow} is given, the tenant's IVR flow of that id (then {@code queue} is empty; the flow
     * decides the queue, and {@code language} is the caller's language in the flow).
     */
    public record Route(String did, String queue, int priority, Optional<String> language, Optional<String> flow) {
        public Route {
            java.util.Objects.requireNonNull(flow, "flow");
        }

        /** A route to a queue. */
        public Route(String did, String queue, int priority, Optional<String> language) {
            this(did, queue, priority, language, Optional.empty());
        }
    }

    /**
     * @param skills    skill name -> level 1..10
     * @param queues    queue ids the agent serves; empty: every queue of the tenant whose requirements they meet
     */
    public record Agent(String id, String tenant, String name, String endpoint, Map<String, Integer> skills,
            List<String> languages, List<String> queues) {}

    /** The {@code acd} section: platform-wide ACD settings and the defaults every queue starts from. */
    public record Acd(int handleTimeWindow, Duration waitEstimateCap, List<String> notReadyReasons,
            QueueSettings queueDefaults) {}

    public enum QueueStrategy {
        LONGEST_IDLE,
        LEAST_CALLS,
        SKILLS
    }

    /** The per-queue settings that {@code acd.queue-defaults} gives and each queue may override. */
    public record QueueSettings(QueueStrategy strategy, Duration wrapUp, Duration maxWrapUp, Duration ringTimeout,
            Duration maxWait, int maxSize, String mohClass, Duration announcePeriod, Duration serviceLevel,
            Duration shortAbandon, Duration defaultHandleTime, String callbackKey) {}

    public enum OverflowKind {
        QUEUE,
        VOICEMAIL,
        MESSAGE
    }

    /** Where a queue's callers go on max wait or when it is full: another queue, a voicemail box, or a message. */
    public record Overflow(OverflowKind kind, String target) {}

    /**
     * @param language  required language; empty: any
     * @param recording {@code recording.policy}: overrides the tenant's for calls through this queue; empty: the tenant's
     */
    public record Queue(String id, String tenant, String name, Map<String, Integer> skills, Optional<String> language,
            Optional<Overflow> overflow, QueueSettings settings, Optional<RecordingPolicy> recording,
            Optional<Survey> survey) {

        /** A queue without a post-call survey. */
        public Queue(String id, String tenant, String name, Map<String, Integer> skills, Optional<String> language,
                Optional<Overflow> overflow, QueueSettings settings, Optional<RecordingPolicy> recording) {
            this(id, tenant, name, skills, language, overflow, settings, recording, Optional.empty());
        }
    }

    /**
     * {@code queues[].survey}: the post-call satisfaction survey the customer hears when the agent hangs up.
     * Prompts are ARI media ({@code sound:<name>}, {@code digits:<d>}, {@code number:<n>}), already checked.
     *
     * @param question what the customer is asked (they answer 1..5 by DTMF, during it or after it)
     * @param invalid  said before the question is asked again after a key other than 1..5; empty: none
     * @param thanks   said after the survey, before we hang up; empty: none
     * @param timeout  how long we wait for a key after the question ended
     * @param retries  how many more times the question is asked after a timeout or an invalid key
     */
    public record Survey(List<String> question, List<String> invalid, List<String> thanks, Duration timeout, int retries) {
        public Survey {
            question = List.copyOf(question);
            invalid = List.copyOf(invalid);
            thanks = List.copyOf(thanks);
        }
    }

    public enum Role {
        AGENT,
        SUPERVISOR,
        ADMIN
    }

    /** @param endpoint the user's own phone ({@code PJSIP/1004}), rung when a supervisor listens to a call; or null */
    public record User(String username, String tenant, Role role, String agent, String passwordHash, String endpoint) {

        public User(String username, String tenant, Role role, String agent, String passwordHash) {
            this(username, tenant, role, agent, passwordHash, null);
        }
    }

    /**
     * The {@code storage} section: the database the statistics log is kept in.
     *
     * @param url        a JDBC URL ({@code jdbc:postgresql:...} or {@code jdbc:h2:...}); empty: the embedded
     *                   H2 database in {@code <data-dir>/cti}
     * @param writeBatch the most events written in one batch (one transaction)
     * @param retention  statistics events and call history rows older than this are deleted by a daily job;
     *                   zero: kept forever
     */
    public record Storage(String url, String username, String password, int poolSize, int writeBatch,
            java.time.Duration retention) {

        public Storage(String url, String username, String password, int poolSize, int writeBatch) {
            this(url, username, password, poolSize, writeBatch, java.time.Duration.ZERO);
        }

        /** Never prints the password (this record ends up in logs and error messages). */
        @Override
        public String toString() {
            return "Storage[url=" + url + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                    + ", poolSize=" + poolSize + ", writeBatch=" + writeBatch + ", retention="
                    + (retention.isZero() ? "forever" : retention.toDays() + "d") + "]";
        }
    }

    /** The {@code history} section: each agent's call history. @param perAgent calls kept and shown per agent */
    public record History(int perAgent) {}
}
