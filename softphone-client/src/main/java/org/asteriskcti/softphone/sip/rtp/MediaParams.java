package org.asteriskcti.softphone.sip.rtp;

import java.net.InetSocketAddress;

/**
 * What the SDP negotiation settled for one RTP stream.
 *
 * @param dtmfPayloadType the telephone-event payload type, or -1 when the far end did not offer RFC 4733
 * @param send            whether we send audio (false while on hold either way, or for recvonly/inactive)
 * @param receive         whether we play received audio
 */
public record MediaParams(Codec codec, int audioPayloadType, int dtmfPayloadType, InetSocketAddress remote,
                          boolean send, boolean receive) {

    public boolean dtmfNegotiated() {
        return dtmfPayloadType >= 0;
    }

    public MediaParams withDirection(boolean send, boolean receive) {
        return new MediaParams(codec, audioPayloadType, dtmfPayloadType, remote, send, receive);
    }
}
