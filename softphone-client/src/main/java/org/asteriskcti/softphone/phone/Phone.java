package org.asteriskcti.softphone.phone;

import java.util.concurrent.CompletableFuture;

/**
 * The agent's SIP phone as the desktop needs it. The CTI server rings this phone for ACD offers and controls the
 * call itself (hold, transfer... go through the CTI); answering and declining, and hanging up, holding and muting
 * a leg the CTI does not know, happen here. {@link SipDeskPhone} implements it with the built-in SIP library; {@link NoPhone} stands in without one.
 */
public interface Phone extends AutoCloseable {

    /** Whether this phone can answer calls at all (registered, or bound for a static contact). */
    boolean available();

    /** One line for the status bar, e.g. "SIP 1001@pbx registered" or why there is none. */
    String describe();

    /** Whether a call rings on this phone now (an INVITE we have not answered yet). */
    default boolean ringing() {
        return false;
    }

    /** Whether this phone has a call at all (ringing, connected or held). */
    default boolean inCall() {
        return false;
    }

    /** Answers the call ringing on this phone; fails with a message naming why it could not. */
    CompletableFuture<Void> answer();

    /** Ends the SIP leg of this phone (BYE, or 486 while it rings); fails when there is no call. */
    default CompletableFuture<Void> hangup() {
        return CompletableFuture.failedFuture(new IllegalStateException("no call on this phone"));
    }

    /**
     * Declines the call ringing on this phone: 486 Busy Here when {@code busy}, else 603 Decline. For an ACD offer
     * Asterisk then ends the attempt to this agent like any failed ring (the CTI server maps 603 to "rejected": the
     * agent stays ready; 486 to "busy": the agent goes not ready). Fails when nothing rings.
     */
    default CompletableFuture<Void> reject(boolean busy) {
        return CompletableFuture.failedFuture(new IllegalStateException("no call rings on this phone"));
    }

    /** Holds ({@code true}) or resumes the phone's call by re-INVITE (a=sendonly / a=sendrecv). */
    default CompletableFuture<Void> hold(boolean on) {
        return CompletableFuture.failedFuture(new IllegalStateException("no call on this phone"));
    }

    /** Mutes ({@code true}) or unmutes the microphone on the phone's call: RTP carries silence while muted. */
    default CompletableFuture<Void> mute(boolean on) {
        return CompletableFuture.failedFuture(new IllegalStateException("no call on this phone"));
    }

    /** Whether we hold the phone's call (our re-INVITE with a=sendonly was accepted). */
    default boolean heldByUs() {
        return false;
    }

    /** Whether the microphone is muted on the phone's call. */
    default boolean muted() {
        return false;
    }

    /**
     * Registers a callback for any change of {@link #available()}, {@link #ringing()}, {@link #heldByUs()},
     * {@link #muted()} or {@link #describe()}. It
     * runs on the phone's own thread: hand it over to the UI thread.
     */
    default void onChange(Runnable changed) {
    }

    /** Stops the phone (ends a call, un-registers); a no-op for phones without resources. */
    @Override
    default void close() {
    }
}
