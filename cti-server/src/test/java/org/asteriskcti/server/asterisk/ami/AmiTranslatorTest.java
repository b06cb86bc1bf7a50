package org.asteriskcti.server.asterisk.ami;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelVarSet;
import org.asteriskcti.server.asterisk.AsteriskEvent.DtmfReceived;
import org.asteriskcti.server.asterisk.AsteriskEvent.EndpointStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.OriginateFinished;
import org.asteriskcti.server.asterisk.AsteriskEvent.QueueActivity;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.QueueActivityKind;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskjava.manager.event.AgentRingNoAnswerEvent;
import org.asteriskjava.manager.event.ContactStatusEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEvent;
import org.asteriskjava.manager.event.DtmfEndEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.MusicOnHoldStartEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.PeerStatusEvent;
import org.asteriskjava.manager.event.VarSetEvent;
import org.junit.jupiter.api.Test;

/** The translator alone, on asterisk-java events built in the test (shapes as in the traces). */
class AmiTranslatorTest {

    private static final Instant READ_AT = Instant.parse("2026-11-23T08:26:30Z");

    private final AmiTranslator translator = new AmiTranslator();

    @Test
    void givenTimestampHeader_whenTranslated_thenAsteriskTimeIsThatInstantToTheMicrosecond() {
        NewChannelEvent e = newChannel("c2c-agent-leg-1");
        e.setTimestamp(1795422387.931610);

        ChannelUpserted up = (ChannelUpserted) translate(e).orElseThrow();

        assertThat(up.meta().asteriskTime()).isEqualTo(Instant.parse("2026-11-23T08:26:27.931610Z"));
        assertThat(up.meta().receivedAt()).isEqualTo(READ_AT);
        assertThat(up.channel().id()).isEqualTo(ChannelId.of("c2c-agent-leg-1"));
    }

    @Test
    void givenNoTimestampHeader_whenTranslated_thenAsteriskTimeIsNullAndBestTimeIsReadTime() {
        ChannelUpserted up = (ChannelUpserted) translate(newChannel("1795422392.0")).orElseThrow();

        assertThat(up.meta().asteriskTime()).isNull();
        assertThat(up.meta().bestTime()).isEqualTo(READ_AT);
        assertThat(up.channel().state()).isEqualTo(ChannelState.RING);
        assertThat(up.channel().linkedId()).isEqualTo("1795422392.0");
    }

    @Test
    void givenVarSets_whenTranslated_thenOnlyCtiVariablesPassAndTheRestIsCountedAsDropped() {
        Optional<AsteriskEvent> cti = translate(varSet("CTI_CALL_ID", "lab-c2c-1"));
        Optional<AsteriskEvent> noise = translate(varSet("BRIDGEPEER", "PJSIP/1001-00000001"));

        assertThat(cti).get().isInstanceOfSatisfying(ChannelVarSet.class, v -> {
            assertThat(v.name()).isEqualTo("CTI_CALL_ID");
            assertThat(v.value()).isEqualTo("lab-c2c-1");
            assertThat(v.channel()).isEqualTo(ChannelId.of("c2c-agent-leg-1"));
        });
        assertThat(noise).isEmpty();
        assertThat(translator.droppedCounts()).containsEntry("VarSet", 1L);
    }

    @Test
    void givenDtmfEnd_whenSentToThePhone_thenDroppedButReceivedDigitsPass() {
        DtmfEndEvent received = dtmf("Received", "5");
        DtmfEndEvent sent = dtmf("Sent", "7");

        assertThat(translate(received)).get().isInstanceOfSatisfying(DtmfReceived.class, d -> {
            assertThat(d.digit()).isEqualTo('5');
            assertThat(d.durationMs()).isEqualTo(120);
        });
        assertThat(translate(sent)).isEmpty();
    }

    @Test
    void givenContactAndPeerStatus_whenTranslated_thenReachabilityPerEndpointAndUnknownDropped() {
        assertThat(translate(contact("1001", "Reachable"))).get().isEqualTo(
                new EndpointStateChanged(meta(), "PJSIP/1001", true));
        assertThat(translate(contact("1001", "Unreachable"))).get().isEqualTo(
                new EndpointStateChanged(meta(), "PJSIP/1001", false));
        assertThat(translate(contact("1001", "Removed"))).get()
                .extracting(e -> ((EndpointStateChanged) e).online()).isEqualTo(false);
        assertThat(translate(contact("1001", "Unknown"))).isEmpty();
        PeerStatusEvent peer = new PeerStatusEvent(this);
        peer.setPeer("PJSIP/1002");
        peer.setPeerStatus("Unregistered");
        assertThat(translate(peer)).get().isEqualTo(new EndpointStateChanged(meta(), "PJSIP/1002", false));
    }

    @Test
    void givenAgentRingNoAnswer_whenTranslated_thenQueueActivityWithRingSeconds() {
        AgentRingNoAnswerEvent e = new AgentRingNoAnswerEvent(this);
        e.setQueue("support");
        e.setUniqueId("1795422404.2");
        e.setInterface("PJSIP/1001");
        e.setDestUniqueId("1795422405.3");
        e.setRingtime(15L);

        QueueActivity q = (QueueActivity) translate(e).orElseThrow();

        assertThat(q.kind()).isEqualTo(QueueActivityKind.AGENT_RING_NO_ANSWER);
        assertThat(q.ringSeconds()).isEqualTo(15);
        assertThat(q.member()).isEqualTo("PJSIP/1001");
        assertThat(q.memberChannel()).isEqualTo(ChannelId.of("1795422405.3"));
    }

    @Test
    void givenFailedOriginate_whenTranslated_thenNotSuccessfulWithNamedReasonAndOurRef() {
        OriginateResponseEvent e = new OriginateResponseEvent(this);
        e.setResponse("Failure");
        e.setReason(5);
        e.setActionId("c2c-9");

        OriginateFinished f = (OriginateFinished) translate(e).orElseThrow();

        assertThat(f.success()).isFalse();
        assertThat(f.reason()).isEqualTo("busy");
        assertThat(f.actionRef()).isEqualTo("c2c-9");
        assertThat(f.channel()).isNull();
    }

    @Test
    void givenUnmappedOrSyntheticEvents_whenTranslated_thenEmptyAndOnlyAsterisksOwnAreCounted() {
        MusicOnHoldStartEvent moh = new MusicOnHoldStartEvent(this);
        DialEvent legacy = new DialEvent(new DialBeginEvent(this));

        assertThat(translate(moh)).isEmpty();
        assertThat(translate(legacy)).isEmpty();
        assertThat(translator.droppedCounts()).containsOnlyKeys("MusicOnHoldStart");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Optional<AsteriskEvent> translate(ManagerEvent e) {
        return translator.translate(e, AmiTranslator.meta(e, READ_AT, 42L));
    }

    private static EventMeta meta() {
        return AmiTranslator.meta(new MusicOnHoldStartEvent(AmiTranslatorTest.class), READ_AT, 42L);
    }

    private NewChannelEvent newChannel(String uniqueId) {
        NewChannelEvent e = new NewChannelEvent(this);
        e.setChannel("PJSIP/2001-00000000");
        e.setUniqueId(uniqueId);
        e.setLinkedid(uniqueId);
        e.setChannelState(4);
        e.setCallerIdNum("2001");
        e.setCallerIdName("Customer One");
        e.setContext("from-customer");
        e.setExten("600");
        return e;
    }

    private VarSetEvent varSet(String name, String value) {
        VarSetEvent e = new VarSetEvent(this);
        e.setChannel("PJSIP/1001-00000014");
        e.setUniqueId("c2c-agent-leg-1");
        e.setVariable(name);
        e.setValue(value);
        return e;
    }

    private DtmfEndEvent dtmf(String direction, String digit) {
        DtmfEndEvent e = new DtmfEndEvent(this);
        e.setChannel("PJSIP/1001-0000000b");
        e.setUniqueId("1795422455.11");
        e.setDirection(direction);
        e.setDigit(digit);
        e.setDurationMs(120);
        return e;
    }

    private ContactStatusEvent contact(String endpoint, String status) {
        ContactStatusEvent e = new ContactStatusEvent(this);
        e.setEndpointName(endpoint);
        e.setContactStatus(status);
        return e;
    }
}
