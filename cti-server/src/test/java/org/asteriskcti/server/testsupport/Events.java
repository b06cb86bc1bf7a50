package org.asteriskcti.server.testsupport;

import java.time.Instant;
import java.util.List;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;

/** Builders for translated Asterisk events in domain tests. Times come from the given clock. */
public final class Events {
    private final FakeClock clock;
    private final Source source;

    public Events(FakeClock clock, Source source) {
        this.clock = clock;
        this.source = source;
    }

    public EventMeta meta() {
        Instant now = clock.instant();
        return new EventMeta(source, now, now, System.nanoTime());
    }

    public static ChannelSnapshot channel(String id, String name, ChannelState state, String callerNum, String linkedId,
            String exten) {
        return new ChannelSnapshot(ChannelId.of(id), name, state, new Party(callerNum, ""), Party.EMPTY, linkedId,
                "from-trunk", exten, "", "en", null);
    }

    public AsteriskEvent.ChannelUpserted upsert(ChannelSnapshot ch) {
        return new AsteriskEvent.ChannelUpserted(meta(), ch);
    }

    public AsteriskEvent.LinkStateChanged link(LinkState s) {
        return new AsteriskEvent.LinkStateChanged(meta(), s, "test");
    }

    public AsteriskEvent.ResyncSnapshot resync(List<ChannelSnapshot> channels, List<BridgeSnapshot> bridges) {
        return new AsteriskEvent.ResyncSnapshot(meta(), channels, bridges);
    }

    public AsteriskEvent.DialStarted dial(String caller, String peer) {
        return new AsteriskEvent.DialStarted(meta(), caller == null ? null : ChannelId.of(caller), ChannelId.of(peer), "");
    }

    public AsteriskEvent.DialEnded dialEnd(String caller, String peer, String status) {
        return new AsteriskEvent.DialEnded(meta(), caller == null ? null : ChannelId.of(caller), ChannelId.of(peer), status);
    }

    public AsteriskEvent.BridgeEntered enter(String bridge, String channel) {
        return new AsteriskEvent.BridgeEntered(meta(), BridgeSnapshot.ofId(BridgeId.of(bridge)), ChannelId.of(channel));
    }

    public AsteriskEvent.BridgeLeft leave(String bridge, String channel) {
        return new AsteriskEvent.BridgeLeft(meta(), BridgeSnapshot.ofId(BridgeId.of(bridge)), ChannelId.of(channel));
    }

    public AsteriskEvent.HangupRequested hangupRequest(String channel, boolean soft) {
        return new AsteriskEvent.HangupRequested(meta(), ChannelId.of(channel), soft, null);
    }

    public AsteriskEvent.ChannelHungUp hangup(String channel, int cause) {
        return new AsteriskEvent.ChannelHungUp(meta(), ChannelId.of(channel), cause, "");
    }

    public AsteriskEvent.StasisEnded stasisEnd(String channel) {
        return new AsteriskEvent.StasisEnded(meta(), ChannelId.of(channel), "cti");
    }

    public AsteriskEvent.ChannelVarSet var(String channel, String name, String value) {
        return new AsteriskEvent.ChannelVarSet(meta(), ChannelId.of(channel), name, value);
    }
}
