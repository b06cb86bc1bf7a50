package org.asteriskcti.softphone.sip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The audio part of an SDP body (RFC 4566), as much as a G.711 phone needs: the connection
 * address, the first audio m= line (port, payload types), its rtpmap/fmtp attributes and
 * direction. Session-level and media-level c= and direction attributes are both understood.
 */
public record Sdp(String origin, long sessionId, long sessionVersion, String connectionAddress, int audioPort,
                  List<Integer> payloadTypes, Map<Integer, String> rtpmap, Map<Integer, String> fmtp,
                  MediaDirection direction) {

    public Sdp {
        payloadTypes = List.copyOf(payloadTypes);
        rtpmap = Map.copyOf(rtpmap);
        fmtp = Map.copyOf(fmtp);
    }

    /**
     * @throws SdpException naming the missing or malformed line
     */
    public static Sdp parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SdpException("empty SDP body");
        }
        String origin = "-";
        long sessionId = 0;
        long sessionVersion = 0;
        String sessionConnection = null;
        String mediaConnection = null;
        MediaDirection sessionDirection = MediaDirection.SENDRECV;
        MediaDirection mediaDirection = null;
        int port = -1;
        List<Integer> pts = new ArrayList<>();
        Map<Integer, String> rtpmap = new LinkedHashMap<>();
        Map<Integer, String> fmtp = new LinkedHashMap<>();
        boolean inAudio = false;
        boolean seenAudio = false;
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            switch (type) {
                case 'o' -> {
                    String[] f = value.split(" ");
                    if (f.length >= 6) {
                        origin = f[0];
                        sessionId = parseLong(f[1], "o= session id");
                        sessionVersion = parseLong(f[2], "o= session version");
                    }
                }
                case 'c' -> {
                    String[] f = value.split(" ");
                    if (f.length < 3 || !f[0].equals("IN")) {
                        throw new SdpException("malformed c= line: '" + line + "'");
                    }
                    String addr = f[2].split("/")[0];
                    if (inAudio) {
                        mediaConnection = addr;
                    } else if (!seenAudio) {
                        sessionConnection = addr;
                    }
                }
                case 'm' -> {
                    inAudio = false;
                    String[] f = value.split(" ");
                    if (f.length < 4) {
                        throw new SdpException("malformed m= line: '" + line + "'");
                    }
                    if (f[0].equals("audio") && !seenAudio) {
                        if (!f[2].startsWith("RTP/AVP")) {
                            throw new SdpException("audio transport " + f[2] + " is not supported (need RTP/AVP, no SRTP)");
                        }
                        inAudio = true;
                        seenAudio = true;
                        port = (int) parseLong(f[1].split("/")[0], "m= port");
                        for (int i = 3; i < f.length; i++) {
                            pts.add((int) parseLong(f[i], "m= payload type"));
                        }
                    }
                }
                case 'a' -> {
                    MediaDirection d = direction(value);
                    if (d != null) {
                        if (inAudio) {
                            mediaDirection = d;
                        } else if (!seenAudio) {
                            sessionDirection = d;
                        }
                    } else if (inAudio && value.startsWith("rtpmap:")) {
                        int sp = value.indexOf(' ');
                        if (sp > 0) {
                            rtpmap.put((int) parseLong(value.substring(7, sp), "rtpmap payload type"), value.substring(sp + 1).trim());
                        }
                    } else if (inAudio && value.startsWith("fmtp:")) {
                        int sp = value.indexOf(' ');
                        if (sp > 0) {
                            fmtp.put((int) parseLong(value.substring(5, sp), "fmtp payload type"), value.substring(sp + 1).trim());
                        }
                    }
                }
                default -> {
                    // v, s, t, b, ... not needed
                }
            }
        }
        if (!seenAudio) {
            throw new SdpException("no m=audio line in the SDP");
        }
        String address = mediaConnection != null ? mediaConnection : sessionConnection;
        if (address == null) {
            throw new SdpException("no c= connection address for the audio stream");
        }
        return new Sdp(origin, sessionId, sessionVersion, address, port, pts, rtpmap, fmtp,
                mediaDirection != null ? mediaDirection : sessionDirection);
    }

    private static MediaDirection direction(String attr) {
        return switch (attr) {
            case "sendrecv" -> MediaDirection.SENDRECV;
            case "sendonly" -> MediaDirection.SENDONLY;
            case "recvonly" -> MediaDirection.RECVONLY;
            case "inactive" -> MediaDirection.INACTIVE;
            default -> null;
        };
    }

    private static long parseLong(String s, String what) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new SdpException("bad " + what + ": '" + s + "'");
        }
    }

    /** The encoding name of a payload type from its rtpmap, or the static name for 0/8. */
    public String encodingName(int pt) {
        String map = rtpmap.get(pt);
        if (map != null) {
            return map.split("/")[0].toUpperCase(Locale.ROOT);
        }
        return switch (pt) {
            case 0 -> "PCMU";
            case 8 -> "PCMA";
            default -> "";
        };
    }

    /** Whether the stream is on hold in the old RFC 2543 way (c=0.0.0.0) or via a direction attribute. */
    public MediaDirection effectiveDirection() {
        return "0.0.0.0".equals(connectionAddress) ? MediaDirection.INACTIVE : direction;
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("v=0\r\n");
        sb.append("o=").append(origin).append(' ').append(sessionId).append(' ').append(sessionVersion)
                .append(" IN IP4 ").append(connectionAddress).append("\r\n");
        sb.append("s=asteriskcti-softphone\r\n");
        sb.append("c=IN IP4 ").append(connectionAddress).append("\r\n");
        sb.append("t=0 0\r\n");
        sb.append("m=audio ").append(audioPort).append(" RTP/AVP");
        for (int pt : payloadTypes) {
            sb.append(' ').append(pt);
        }
        sb.append("\r\n");
        for (int pt : payloadTypes) {
            String map = rtpmap.get(pt);
            if (map != null) {
                sb.append("a=rtpmap:").append(pt).append(' ').append(map).append("\r\n");
            }
            String f = fmtp.get(pt);
            if (f != null) {
                sb.append("a=fmtp:").append(pt).append(' ').append(f).append("\r\n");
            }
        }
        sb.append("a=ptime:20\r\n");
        sb.append("a=").append(direction.attribute()).append("\r\n");
        return sb.toString();
    }
}
