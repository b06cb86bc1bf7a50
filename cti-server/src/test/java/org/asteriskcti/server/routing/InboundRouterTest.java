package org.asteriskcti.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.testsupport.Events.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

class InboundRouterTest {

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final List<String> commands = new ArrayList<>();
    private CompletableFuture<Void> answer = CompletableFuture.completedFuture(null);
    private final AsteriskCommands port = (ch, ctx, exten, prio) -> {
        commands.add(ch + " -> " + ctx + "," + exten + "," + prio);
        return answer;
    };
    private final InboundRouter router = new InboundRouter(port, "cti-fallback", loop);

    private AsteriskEvent.StasisStarted start(String id, String exten, String... args) {
        EventMeta meta = new EventMeta(Source.ARI, clock.instant(), clock.instant(), 0);
        return new AsteriskEvent.StasisStarted(meta, channel(id, "PJSIP/2001-00000001", ChannelState.RING, "2001", null, exten),
                "cti", List.of(args));
    }

    @Test
    void givenAnInboundCaller_whenItEntersTheApp_thenItIsHandedBackToTheFallbackWithItsExten() {
        router.onEvent(start("c1", "600", "inbound", "600"));
        scheduler.runAll();
        assertThat(commands).containsExactly("c1 -> cti-fallback,600,1");
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
        answer = CompletableFuture.failedFuture(new IllegalStateException("Channel not found"));
        router.onEvent(start("gone", "700", "inbound", "700"));
        scheduler.runAll();
        assertThat(router.failed()).isEqualTo(1);
        assertThat(router.handedBack()).isZero();
    }

    @Test
    void givenNoExtenArgument_thenTheChannelsOwnExtenIsUsed() {
        router.onEvent(start("c2", "800", "inbound"));
        assertThat(commands).containsExactly("c2 -> cti-fallback,800,1");
        assertThat(ChannelId.of("c2").value()).isEqualTo("c2");
    }
}
