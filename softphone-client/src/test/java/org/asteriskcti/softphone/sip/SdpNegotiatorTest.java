package org.asteriskcti.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.asteriskcti.softphone.sip.rtp.Codec;
import org.junit.jupiter.api.Test;

class SdpNegotiatorTest {

    private final SdpNegotiator ours = new SdpNegotiator(List.of(Codec.PCMU, Codec.PCMA), 101);

    private static final String ASTERISK_OFFER = """
            v=0
            o=- 1234 5678 IN IP4 127.0.0.1
            s=Asterisk
            c=IN IP4 127.0.0.1
            t=0 0
            m=audio 10004 RTP/AVP 8 0 9 96
            a=rtpmap:8 PCMA/8000
            a=rtpmap:0 PCMU/8000
            a=rtpmap:9 G722/8000
            a=rtpmap:96 telephone-event/8000
            a=fmtp:96 0-16
            a=ptime:20
            a=sendrecv
            """;

    @Test
    void givenAnOffer_whenAnswered_thenTheOfferersFirstCommonCodecAndItsEventPayloadType() {
        SdpNegotiator.Answer a = ours.answer(Sdp.parse(ASTERISK_OFFER), "127.0.0.1", 16000, 1, 1, MediaDirection.SENDRECV);
        assertThat(a.result().media().codec()).isEqualTo(Codec.PCMA);
        assertThat(a.result().media().audioPayloadType()).isEqualTo(8);
        assertThat(a.result().media().dtmfPayloadType()).isEqualTo(96);
        assertThat(a.result().media().remote().getPort()).isEqualTo(10004);
        Sdp answer = Sdp.parse(a.sdp().format());
        assertThat(answer.payloadTypes()).containsExactly(8, 96);
        assertThat(answer.audioPort()).isEqualTo(16000);
        assertThat(answer.direction()).isEqualTo(MediaDirection.SENDRECV);
        assertThat(a.sdp().format()).contains("a=rtpmap:96 telephone-event/8000");
    }

    @Test
    void givenAHoldOffer_whenAnswered_thenRecvonlyAndWeStopSending() {
        String hold = ASTERISK_OFFER.replace("a=sendrecv", "a=sendonly");
        SdpNegotiator.Answer a = ours.answer(Sdp.parse(hold), "127.0.0.1", 16000, 1, 2, MediaDirection.SENDRECV);
        assertThat(a.sdp().direction()).isEqualTo(MediaDirection.RECVONLY);
        assertThat(a.result().media().send()).isFalse();
        assertThat(a.result().media().receive()).isTrue();
        String oldHold = ASTERISK_OFFER.replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0");
        assertThat(ours.answer(Sdp.parse(oldHold), "127.0.0.1", 16000, 1, 2, MediaDirection.SENDRECV).sdp().direction())
                .isEqualTo(MediaDirection.INACTIVE);
    }

    @Test
    void givenOnlyG722AndG729_whenAnswered_thenNoCommonCodecNamesBothSides() {
        String offer = ASTERISK_OFFER.replace("m=audio 10004 RTP/AVP 8 0 9 96", "m=audio 10004 RTP/AVP 9 18");
        assertThatThrownBy(() -> ours.answer(Sdp.parse(offer), "127.0.0.1", 16000, 1, 1, MediaDirection.SENDRECV))
                .isInstanceOf(NoCommonCodecException.class)
                .hasMessageContaining("9 G722").hasMessageContaining("18").hasMessageContaining("PCMU");
    }

    @Test
    void givenOurOffer_whenFormatted_thenPcmuPcmaAndTelephoneEvent101() {
        Sdp offer = Sdp.parse(ours.offer("127.0.0.1", 16002, 7, 1, MediaDirection.SENDONLY).format());
        assertThat(offer.payloadTypes()).containsExactly(0, 8, 101);
        assertThat(offer.encodingName(101)).isEqualTo("TELEPHONE-EVENT");
        assertThat(offer.direction()).isEqualTo(MediaDirection.SENDONLY);
        assertThat(offer.sessionVersion()).isEqualTo(1);
    }

    @Test
    void givenAnAnswerWithoutTelephoneEvent_whenRead_thenDtmfIsNotNegotiated() {
        String answer = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        SdpNegotiator.Result r = ours.answered(Sdp.parse(answer), MediaDirection.SENDRECV);
        assertThat(r.media().codec()).isEqualTo(Codec.PCMU);
        assertThat(r.media().dtmfNegotiated()).isFalse();
        assertThat(r.media().remote().getHostString()).isEqualTo("10.0.0.1");
    }

    @Test
    void givenBrokenSdp_whenParsed_thenTheErrorNamesWhatIsMissing() {
        assertThatThrownBy(() -> Sdp.parse("v=0\r\nc=IN IP4 1.2.3.4\r\n")).hasMessageContaining("no m=audio");
        assertThatThrownBy(() -> Sdp.parse("v=0\r\nm=audio 4000 RTP/AVP 0\r\n")).hasMessageContaining("no c=");
        assertThatThrownBy(() -> Sdp.parse("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/SAVP 0\r\n"))
                .hasMessageContaining("SRTP");
    }
}
