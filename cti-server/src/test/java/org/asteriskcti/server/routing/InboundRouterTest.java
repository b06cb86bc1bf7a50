package org.asteriskcti.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.testsupport.Events.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

class InboundRouterTest {

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands port = new FakeAsteriskCommands();
    private final List<String> commands = port.log;
    private final List<String> queued = new ArrayList<>();
    private final List<String> flows = new ArrayList<>();
    private final InboundRouter router = new InboundRouter(port, "cti-fallback", loop,
            did -> switch (did) {
                case "700" -> Optional.of(InboundRouter.Route.of("support"));
                case "900" -> Optional.of(InboundRouter.Route.toFlow("main", Optional.of("fr")));
                default -> Optional.empty();
            },
            (ch, q) -> {
                if (ch.id().value().startsWith("refused")) {
                    throw new IllegalStateException("queue full");
                }
                queued.add(ch.id() + " -> " + q.queue() + q.did().map(d -> " (dialled " + d + ")").orElse(""));
                return "entry";
            },
            (ch, r) -> {
                if (ch.id().value().startsWith("refused")) {
                    throw new IllegalStateException("no such flow");
                }
                flows.add(ch.id() + " -> " + r.flow().orElseThrow() + " " + r.language().orElseThrow());
                return "flow";
            });

    @Test
    void givenADidRoutedToAFlow_whenTheCallerEntersTheApp_thenTheFlowStartsAndTheAcdIsNotAsked() {
        router.onEvent(start("c9", "900", "inbound", "900"));
        scheduler.runAll();
        assertThat(flows).containsExactly("c9 -> main fr");
        assertThat(queued).isEmpty();
        assertThat(commands).isEmpty();
        assertThat(router.intoFlows()).isEqualTo(1);
    }

    @Test
    void givenAFlowThatRefusesTheCaller_thenTheyGoToTheFallback() {
        router.onEvent(start("refused-2", "900", "inbound", "900"));
        scheduler.runAll();
        assertThat(commands).containsExactly("continue refused-2 cti-fallback,900,1");
        assertThat(router.intoFlows()).isZero();
    }

    private AsteriskEvent.StasisStarted start(String id, String exten, String... args) {
        EventMeta meta = new EventMeta(Source.ARI, clock.instant(), clock.instant(), 0);
        return new AsteriskEvent.StasisStarted(meta, channel(id, "PJSIP/2001-00000001", ChannelState.RING, "2001", null, exten),
                "cti", List.of(args));
    }

    @Test
    void givenAnInboundCaller_whenItEntersTheApp_thenItIsHandedBackToTheFallbackWithItsExten() {
        router.onEvent(start("c1", "600", "inbound", "600"));
        scheduler.runAll();
        assertThat(commands).containsExactly("continue c1 cti-fallback,600,1");
        assertThat(router.handedBack()).isEqualTo(1);
    }

    @Test
    void givenOurOwnOriginatedLegOrASnoop_whenTheyEnterTheApp_thenTheyAreLeftAlone() {
        router.onEvent(start("leg", "", "agent", "call-1"));
        router.onEvent(start("snoop", "", "snoop"));
        router.onEvent(start("bare", "s"));
        assertThat(commands).isEmpty();
    }

    @Test
    void givenAsteriskRefusesTheContinue_thenItIsCountedAndNothingBreaks() {
        port.failWhen(line -> new IllegalStateException("Channel not found"));
        router.onEvent(start("gone", "600", "inbound", "600"));
        scheduler.runAll();
        assertThat(router.failed()).isEqualTo(1);
        assertThat(router.handedBack()).isZero();
    }

    @Test
    void givenARoutedDid_whenTheCallerEntersTheApp_thenTheyAreQueuedAndNotHandedBack() {
        router.onEvent(start("c3", "700", "inbound", "700"));
        scheduler.runAll();
        // The DID goes with the route, for the caller's Entered (reports per DID).
        assertThat(queued).containsExactly("c3 -> support (dialled 700)");
        assertThat(commands).isEmpty();
        assertThat(router.queued()).isEqualTo(1);
    }

    @Test
    void givenTheAcdRefusesARoutedCaller_thenTheyGoToTheFallbackInstead() {
        router.onEvent(start("refused-1", "700", "inbound", "700"));
        scheduler.runAll();
        assertThat(queued).isEmpty();
        assertThat(commands).containsExactly("continue refused-1 cti-fallback,700,1");
    }

    @Test
    void givenNoExtenArgument_thenTheChannelsOwnExtenIsUsed() {
        router.onEvent(start("c2", "800", "inbound"));
        assertThat(commands).containsExactly("continue c2 cti-fallback,800,1");
        assertThat(ChannelId.of("c2").value()).isEqualTo("c2");
    }
}
