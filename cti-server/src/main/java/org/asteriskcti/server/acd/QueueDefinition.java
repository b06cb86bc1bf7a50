package org.asteriskcti.server.acd;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * One ACD queue, as configured.
 *
 * @param requirements           skills (with minimum levels) and language every agent must have
 * @param maxWait                after this long waiting in this queue the caller overflows; zero: never
 * @param overflow               where callers go on max wait or when the queue is full; required when
 *                               {@code maxWait} or {@code maxSize} is set
 * @param maxSize                most callers in the queue at once (waiting or being offered); 0: no limit
 * @param wrapUp                 after-call work time given after each call; zero: none
 * @param maxWrapUp              the most wrap-up an agent may have in all with extensions (&gt;= wrapUp)
 * @param ringTimeout            how long an agent's phone rings before the ACD counts no answer
 * @param mohClass               music-on-hold class the caller hears while waiting
 * @param announcePeriod         how often a waiting caller hears their position and estimated wait; zero: never
 * @param serviceLevelThreshold  answered within this wait counts toward the service level (e.g. 20 s)
 * @param shortAbandonThreshold  callers who hang up after waiting less than this are short abandons (e.g. 5 s)
 * @param defaultHandleTime      seeds the average handle time for wait estimates until calls are observed
 * @param callbackKey            the DTMF key a waiting caller presses to be called back keeping their place; "" none
 */
public record QueueDefinition(QueueId id, TenantId tenant, String name, Strategy strategy, Requirements requirements,
        Duration maxWait, Optional<OverflowTarget> overflow, int maxSize, Duration wrapUp, Duration maxWrapUp,
        Duration ringTimeout, String mohClass, Duration announcePeriod, Duration serviceLevelThreshold,
        Duration shortAbandonThreshold, Duration defaultHandleTime, String callbackKey) {

    public QueueDefinition {
        Objects.requireNonNull(callbackKey, "callbackKey");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(requirements, "requirements");
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(mohClass, "mohClass");
        for (Map.Entry<String, Duration> d : Map.of("max-wait", maxWait, "wrap-up", wrapUp, "max-wrap-up", maxWrapUp,
                "announce-period", announcePeriod, "service-level", serviceLevelThreshold,
                "short-abandon", shortAbandonThreshold).entrySet()) {
            if (d.getValue() == null || d.getValue().isNegative()) {
                throw new IllegalArgumentException("queue " + id + ": " + d.getKey() + " must be zero or positive");
            }
        }
        if (ringTimeout == null || ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw new IllegalArgumentException("queue " + id + ": ring-timeout must be positive");
        }
        if (defaultHandleTime == null || defaultHandleTime.isNegative() || defaultHandleTime.isZero()) {
            throw new IllegalArgumentException("queue " + id + ": default-handle-time must be positive");
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("queue " + id + ": max-size must be 0 (no limit) or positive");
        }
        if (maxWrapUp.compareTo(wrapUp) < 0) {
            throw new IllegalArgumentException("queue " + id + ": max-wrap-up must not be shorter than wrap-up");
        }
        if ((!maxWait.isZero() || maxSize > 0) && overflow.isEmpty()) {
            throw new IllegalArgumentException("queue " + id + ": max-wait or max-size needs an overflow target");
        }
    }

    public static Builder builder(QueueId id, TenantId tenant) {
        return new Builder(id, tenant);
    }

    public static Builder builder(String id, String tenant) {
        return new Builder(QueueId.of(id), TenantId.of(tenant));
    }

    public Builder toBuilder() {
        Builder b = new Builder(id, tenant);
        b.name = name;
        b.strategy = strategy;
        b.requirements = requirements;
        b.maxWait = maxWait;
        b.overflow = overflow;
        b.maxSize = maxSize;
        b.wrapUp = wrapUp;
        b.maxWrapUp = maxWrapUp;
        b.ringTimeout = ringTimeout;
        b.mohClass = mohClass;
        b.announcePeriod = announcePeriod;
        b.serviceLevel = serviceLevelThreshold;
        b.shortAbandon = shortAbandonThreshold;
        b.defaultHandleTime = defaultHandleTime;
        b.callbackKey = callbackKey;
        return b;
    }

    /** Builds a definition; starts from the defaults proposed for {@code acd.queue-defaults}. */
    public static final class Builder {
        private final QueueId id;
        private final TenantId tenant;
        private String name;
        private Strategy strategy = Strategy.LONGEST_IDLE;
        private Requirements requirements = Requirements.none();
        private Duration maxWait = Duration.ZERO;
        private Optional<OverflowTarget> overflow = Optional.empty();
        private int maxSize;
        private Duration wrapUp = Duration.ofSeconds(15);
        private Duration maxWrapUp = Duration.ofMinutes(2);
        private Duration ringTimeout = Duration.ofSeconds(15);
        private String mohClass = "default";
        private Duration announcePeriod = Duration.ofSeconds(60);
        private Duration serviceLevel = Duration.ofSeconds(20);
        private Duration shortAbandon = Duration.ofSeconds(5);
        private Duration defaultHandleTime = Duration.ofMinutes(3);
        private String callbackKey = "";

        private Builder(QueueId id, TenantId tenant) {
            this.id = id;
            this.tenant = tenant;
            this.name = id.value();
        }

        public Builder name(String v) { name = v; return this; }
        public Builder strategy(Strategy v) { strategy = v; return this; }
        public Builder requirements(Requirements v) { requirements = v; return this; }
        public Builder requiredSkills(Map<String, Integer> v) { requirements = new Requirements(v, requirements.language()); return this; }
        public Builder language(String v) { requirements = new Requirements(requirements.skills(), Optional.ofNullable(v)); return this; }
        public Builder maxWait(Duration v) { maxWait = v; return this; }
        public Builder maxWait(Duration v, OverflowTarget target) { maxWait = v; overflow = Optional.of(target); return this; }
        public Builder overflow(OverflowTarget v) { overflow = Optional.ofNullable(v); return this; }
        public Builder maxSize(int v) { maxSize = v; return this; }
        public Builder wrapUp(Duration v) { wrapUp = v; return this; }
        public Builder maxWrapUp(Duration v) { maxWrapUp = v; return this; }
        public Builder ringTimeout(Duration v) { ringTimeout = v; return this; }
        public Builder mohClass(String v) { mohClass = v; return this; }
        public Builder announcePeriod(Duration v) { announcePeriod = v; return this; }
        public Builder serviceLevel(Duration v) { serviceLevel = v; return this; }
        public Builder shortAbandon(Duration v) { shortAbandon = v; return this; }
        public Builder defaultHandleTime(Duration v) { defaultHandleTime = v; return this; }
        public Builder callbackKey(String v) { callbackKey = v; return this; }

        public QueueDefinition build() {
            return new QueueDefinition(id, tenant, name, strategy, requirements, maxWait, overflow, maxSize, wrapUp,
                    maxWrapUp, ringTimeout, mohClass, announcePeriod, serviceLevel, shortAbandon, defaultHandleTime, callbackKey);
        }
    }
}
