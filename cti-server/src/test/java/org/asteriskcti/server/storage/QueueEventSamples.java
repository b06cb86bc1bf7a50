package org.asteriskcti.server.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.OverflowTarget;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.Abandoned;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.acd.stats.QueueEvent.Answered;
import org.asteriskcti.server.acd.stats.QueueEvent.CallbackRequested;
import org.asteriskcti.server.acd.stats.QueueEvent.Completed;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.acd.stats.QueueEvent.OfferEnded;
import org.asteriskcti.server.acd.stats.QueueEvent.OfferOutcome;
import org.asteriskcti.server.acd.stats.QueueEvent.Offered;
import org.asteriskcti.server.acd.stats.QueueEvent.OverflowReason;
import org.asteriskcti.server.acd.stats.QueueEvent.Overflowed;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * Events of every {@link QueueEvent} type in time order, with the awkward values a store must keep
 * exactly: nanosecond times, sub-millisecond durations, a null reason, every overflow target, ids
 * with quotes, non-ASCII and a NUL.
 */
final class QueueEventSamples {

    static final TenantId DEMO = TenantId.of("demo");
    static final TenantId ACME = TenantId.of("acme");
    static final QueueId SALES = QueueId.of("sales");
    static final QueueId SUPPORT = QueueId.of("support");
    static final QueueId ACME_SALES = QueueId.of("acme-sales");
    static final Instant T0 = Instant.parse("2026-11-23T09:00:00.000000001Z");

    private QueueEventSamples() {}

    static Instant t(long nanosAfterT0) {
        return T0.plusNanos(nanosAfterT0);
    }

    static EntryId entry(String id) {
        return EntryId.of(id);
    }

    /** One or more of each type, in time order; two pairs share an instant. */
    static List<QueueEvent> all() {
        AgentId a1 = AgentId.of("a1");
        AgentId odd = AgentId.of("agent \"ü\" 坐席\0x");
        EntryId c1 = entry("1732352400.101/1");
        EntryId c2 = entry("caller with spaces/2");
        return List.of(
                new AgentStateInterval(t(0), a1, DEMO, AgentState.LOGGED_OUT, AgentState.READY, null,
                        TransitionCause.LOGIN, Duration.ZERO),
                new AgentStateInterval(t(0), odd, DEMO, AgentState.LOGGED_OUT, AgentState.NOT_READY,
                        NotReadyReason.of("coffee \"break\""), TransitionCause.FORCED_BY_SUPERVISOR, Duration.ofNanos(1)),
                new Entered(t(1_000), SALES, DEMO, c1, ChannelId.of("1732352400.101"), T0.minusSeconds(30),
                        EntryOrigin.TRANSFERRED, 7),
                new Offered(t(1_500), SALES, c1, a1, 1),
                new OfferEnded(t(2_000_000_001L), SALES, c1, a1, OfferOutcome.NO_ANSWER),
                new Offered(t(2_000_000_001L), SALES, c1, odd, 2),
                new Answered(t(3_123_456_789L), SALES, c1, odd, Duration.ofSeconds(33, 123_456_788)),
                new Entered(t(4_000_000_000L), SUPPORT, DEMO, c2, ChannelId.of("caller with spaces"), t(4_000_000_000L),
                        EntryOrigin.NEW, 0, "+49 30 1234-5"),
                new Abandoned(t(4_999_999_999L), SUPPORT, c2, Duration.ofNanos(999_999_999), true, true),
                new Entered(t(5_000_000_000L), SUPPORT, DEMO, entry("c3/3"), ChannelId.of("c3"), t(5_000_000_000L),
                        EntryOrigin.RESTORED, -3),
                new Overflowed(t(6_000_000_000L), SUPPORT, entry("c3/3"), Duration.ofSeconds(1),
                        new OverflowTarget.ToQueue(SALES), OverflowReason.MAX_WAIT),
                new Entered(t(6_000_000_000L), SALES, DEMO, entry("c3/4"), ChannelId.of("c3"), t(5_000_000_000L),
                        EntryOrigin.OVERFLOW, 0),
                new Overflowed(t(7_000_000_000L), SALES, entry("c3/4"), Duration.ofSeconds(2),
                        new OverflowTarget.ToVoicemail("1000@default"), OverflowReason.QUEUE_FULL),
                new Entered(t(8_000_000_000L), ACME_SALES, ACME, entry("x1/5"), ChannelId.of("x1"), t(8_000_000_000L),
                        EntryOrigin.NEW, 0),
                new Overflowed(t(9_000_000_000L), ACME_SALES, entry("x1/5"), Duration.ofSeconds(1),
                        new OverflowTarget.HangupWithMessage("all-circuits-busy-now"), OverflowReason.MAX_WAIT),
                new CallbackRequested(t(10_000_000_000L), SALES, entry("c4/6"), Duration.ofMillis(12_345)),
                new QueueEvent.CallbackDialled(t(10_500_000_001L), SALES, entry("callback-c4/7"), AgentId.of("a2"),
                        QueueEvent.CallbackOutcome.NO_ANSWER),
                new QueueEvent.Transferred(t(60_000_000_001L), SALES, c1, odd, QueueEvent.TransferKind.ATTENDED,
                        "agent:agent \"2\""),
                new Completed(t(90_000_000_000L), SALES, c1, odd, Duration.ofSeconds(40, 1), Duration.ofSeconds(10),
                        Duration.ofNanos(16_876_543_211L)),
                new AgentStateInterval(t(90_000_000_000L), odd, DEMO, AgentState.WRAP_UP, AgentState.READY, null,
                        TransitionCause.WRAP_UP_TIMER, Duration.ofSeconds(15)),
                new QueueEvent.SurveyEnded(t(90_000_000_001L), SALES, c1, odd, QueueEvent.SurveyOutcome.ANSWERED, 4),
                new QueueEvent.SurveyEnded(t(90_500_000_000L), SUPPORT, c2, a1, QueueEvent.SurveyOutcome.NO_RESPONSE, 0),
                new QueueEvent.SurveyEnded(t(90_500_000_000L), SUPPORT, entry("c3/3"), a1, QueueEvent.SurveyOutcome.HUNG_UP, 0),
                new QueueEvent.SurveyEnded(t(90_600_000_000L), SALES, entry("c3/4"), a1, QueueEvent.SurveyOutcome.INTERRUPTED, 0),
                new AgentStateInterval(t(91_000_000_000L), AgentId.of("x1"), ACME, AgentState.READY,
                        AgentState.LOGGED_OUT, null, TransitionCause.AGENT_REQUEST, Duration.ofDays(400)));
    }
}
