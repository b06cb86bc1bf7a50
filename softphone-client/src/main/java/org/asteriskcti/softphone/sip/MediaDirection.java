package org.asteriskcti.softphone.sip;

/** The SDP direction attribute of an audio stream (RFC 3264 §6.1). */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    public static MediaDirection of(boolean sends, boolean receives) {
        return sends ? (receives ? SENDRECV : SENDONLY) : (receives ? RECVONLY : INACTIVE);
    }

    /** What an answerer that is willing to do {@code ours} may answer to this offered direction. */
    public MediaDirection answerTo(MediaDirection ours) {
        return of(receives() && ours.sends(), sends() && ours.receives());
    }

    public String attribute() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
