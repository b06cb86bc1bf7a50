package org.asteriskcti.softphone.sip;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.asteriskcti.softphone.sip.rtp.Codec;
import org.asteriskcti.softphone.sip.rtp.MediaParams;

/**
 * SDP offer/answer (RFC 3264) for one G.711 audio stream with RFC 4733 telephone-event.
 * As answerer we take the first payload type of the offer that we speak (the offerer's
 * preference) and echo its telephone-event payload type; as offerer we take the first one
 * the answer lists.
 */
public final class SdpNegotiator {

    public static final String TELEPHONE_EVENT = "TELEPHONE-EVENT";

    private final List<Codec> codecs;
    private final int dtmfPayloadType;

    /**
     * @param codecs          ours, in order of preference (offered in that order)
     * @param dtmfPayloadType the telephone-event payload type we offer (96..127, usually 101)
     */
    public SdpNegotiator(List<Codec> codecs, int dtmfPayloadType) {
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("at least one codec is needed");
        }
        if (dtmfPayloadType < 96 || dtmfPayloadType > 127) {
            throw new IllegalArgumentException("telephone-event payload type must be dynamic (96..127), was " + dtmfPayloadType);
        }
        this.codecs = List.copyOf(codecs);
        this.dtmfPayloadType = dtmfPayloadType;
    }

    /** The result of one negotiation: the media to run and the SDP we send (offer or answer). */
    public record Result(MediaParams media, MediaDirection remoteDirection, MediaDirection localDirection) {
    }

    public Sdp offer(String address, int port, long sessionId, long version, MediaDirection direction) {
        List<Integer> pts = new ArrayList<>();
        Map<Integer, String> rtpmap = new HashMap<>();
        for (Codec c : codecs) {
            pts.add(c.staticPayloadType());
            rtpmap.put(c.staticPayloadType(), c.encodingName() + "/8000");
        }
        pts.add(dtmfPayloadType);
        rtpmap.put(dtmfPayloadType, "telephone-event/8000");
        return new Sdp("-", sessionId, version, address, port, pts, rtpmap, Map.of(dtmfPayloadType, "0-16"), direction);
    }

    /**
     * Answers an offer.
     *
     * @param wanted the direction we want (SENDRECV, or SENDONLY while we hold the call)
     * @throws NoCommonCodecException listing what was offered when nothing matches
     */
    public Answer answer(Sdp offer, String address, int port, long sessionId, long version, MediaDirection wanted) {
        Codec chosen = null;
        int chosenPt = -1;
        int offeredDtmf = -1;
        for (int pt : offer.payloadTypes()) {
            String name = offer.encodingName(pt);
            if (TELEPHONE_EVENT.equals(name) && offeredDtmf < 0 && rate(offer, pt) == 8000) {
                offeredDtmf = pt;
            }
            Codec c = Codec.byEncodingName(name);
            if (chosen == null && c != null && codecs.contains(c)) {
                chosen = c;
                chosenPt = pt;
            }
        }
        if (chosen == null) {
            throw new NoCommonCodecException("no common codec: the far end offered " + describe(offer)
                    + ", we speak " + codecs);
        }
        MediaDirection local = offer.effectiveDirection().answerTo(wanted);
        List<Integer> pts = new ArrayList<>(List.of(chosenPt));
        Map<Integer, String> rtpmap = new HashMap<>(Map.of(chosenPt, chosen.encodingName() + "/8000"));
        Map<Integer, String> fmtp = new HashMap<>();
        if (offeredDtmf >= 0) {
            pts.add(offeredDtmf);
            rtpmap.put(offeredDtmf, "telephone-event/8000");
            fmtp.put(offeredDtmf, "0-16");
        }
        Sdp sdp = new Sdp("-", sessionId, version, address, port, pts, rtpmap, fmtp, local);
        MediaParams media = new MediaParams(chosen, chosenPt, offeredDtmf,
                new InetSocketAddress(offer.connectionAddress(), offer.audioPort()), local.sends(), local.receives());
        return new Answer(sdp, new Result(media, offer.effectiveDirection(), local));
    }

    public record Answer(Sdp sdp, Result result) {
    }

    /**
     * Reads the answer to our offer.
     *
     * @param ours the direction we offered
     * @throws NoCommonCodecException when the answer holds none of the codecs we offered
     */
    public Result answered(Sdp answer, MediaDirection ours) {
        Codec chosen = null;
        int chosenPt = -1;
        int dtmf = -1;
        for (int pt : answer.payloadTypes()) {
            String name = answer.encodingName(pt);
            if (TELEPHONE_EVENT.equals(name) && dtmf < 0) {
                dtmf = pt;
            }
            Codec c = Codec.byEncodingName(name);
            if (chosen == null && c != null && codecs.contains(c)) {
                chosen = c;
                chosenPt = pt;
            }
        }
        if (chosen == null) {
            throw new NoCommonCodecException("the answer holds no codec we offered: " + describe(answer)
                    + ", we offered " + codecs);
        }
        MediaDirection remote = answer.effectiveDirection();
        MediaDirection local = remote.answerTo(ours);
        MediaParams media = new MediaParams(chosen, chosenPt, dtmf,
                new InetSocketAddress(answer.connectionAddress(), answer.audioPort()), local.sends(), local.receives());
        return new Result(media, remote, local);
    }

    private static int rate(Sdp sdp, int pt) {
        String map = sdp.rtpmap().get(pt);
        if (map == null) {
            return 8000;
        }
        String[] f = map.split("/");
        try {
            return f.length > 1 ? Integer.parseInt(f[1].trim()) : 8000;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String describe(Sdp sdp) {
        List<String> out = new ArrayList<>();
        for (int pt : sdp.payloadTypes()) {
            String name = sdp.encodingName(pt);
            out.add(pt + (name.isEmpty() ? "" : " " + name));
        }
        return out.toString();
    }
}
