package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.asteriskcti.protocol.Protocol.CloseCodes;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.asteriskcti.server.testsupport.RecordingModelListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-connection WebSocket handler in an EmbeddedChannel: heartbeats and frame validation, no sockets. */
class WsClientHandlerTest {

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private EmbeddedChannel channel;
    private ClientHub hub;

    @BeforeEach
    void setUp() {
        CtiConfig config = ConfigLoader.load(null, Map.of());
        TenantDirectory directory = new TenantDirectory(config);
        CallModel model = new CallModel(loop, directory, new RecordingModelListener(), EnumSet.of(Source.AMI));
        hub = new ClientHub(loop, model, directory, config.clientApi(), new CtiMetrics());
        Principal p = new Principal(UserId.of("supervisor"), TenantId.of("demo"), CtiConfig.Role.SUPERVISOR, null,
                Instant.parse("2026-11-24T00:00:00Z"));
        WsClientHandler handler = new WsClientHandler(hub, loop, new CtiMetrics(), 2, p, null, null);
        channel = new EmbeddedChannel(handler);
        handler.start(channel.pipeline().context(handler));
        scheduler.runAll();
        channel.runPendingTasks();
    }

    private <T> T nextOutbound(Class<T> type) {
        Object o;
        while ((o = channel.readOutbound()) != null) {
            if (type.isInstance(o)) {
                return type.cast(o);
            }
        }
        return null;
    }

    @Test
    void givenTheServerSentNothingForAWhile_whenWriterIdle_thenItPingsTheClient() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(nextOutbound(PingWebSocketFrame.class)).isNotNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void givenTheClientSentNothingWithinTheTimeout_whenReaderIdle_thenClosedWith4408() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        CloseWebSocketFrame close = nextOutbound(CloseWebSocketFrame.class);
        assertThat(close).isNotNull();
        assertThat(close.statusCode()).isEqualTo(CloseCodes.HEARTBEAT_TIMEOUT);
    }

    @Test
    void givenAClientPing_thenThePongCarriesItsPayload() {
        channel.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer(new byte[] {1, 2, 3})));
        io.netty.handler.codec.http.websocketx.PongWebSocketFrame pong =
                nextOutbound(io.netty.handler.codec.http.websocketx.PongWebSocketFrame.class);
        assertThat(pong).isNotNull();
        assertThat(pong.content().readableBytes()).isEqualTo(3);
    }

    @Test
    void givenBinaryFramesBeyondTheLimit_thenErrorsThen4400() {
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.copiedBuffer(new byte[] {9})));
        channel.runPendingTasks();
        TextWebSocketFrame err = nextOutbound(TextWebSocketFrame.class);
        while (err != null && !err.text().contains("\"error\"")) {
            err = nextOutbound(TextWebSocketFrame.class);
        }
        assertThat(err).isNotNull();
        assertThat(err.text()).contains("protocol.binary_not_supported");
        channel.writeInbound(new TextWebSocketFrame("[]"));
        channel.runPendingTasks();
        CloseWebSocketFrame close = nextOutbound(CloseWebSocketFrame.class);
        assertThat(close).isNotNull();
        assertThat(close.statusCode()).isEqualTo(CloseCodes.PROTOCOL_VIOLATION);
    }
}
