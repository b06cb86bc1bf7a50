package org.asteriskcti.softphone.phone;

import java.util.concurrent.CompletableFuture;

/**
 * No built-in phone: the agent answers on their desk phone or another softphone registered as their device. The
 * Answer button then explains this instead of doing nothing.
 */
public final class NoPhone implements Phone {

    private final String why;

    /** Without SIP options: the agent uses their desk phone. */
    public NoPhone() {
        this("no built-in phone: answer on your desk phone");
    }

    /** @param why what the status bar says, e.g. why the built-in phone could not start */
    public NoPhone(String why) {
        this.why = why;
    }

    @Override
    public boolean available() {
        return false;
    }

    @Override
    public String describe() {
        return why;
    }

    @Override
    public CompletableFuture<Void> answer() {
        return CompletableFuture.failedFuture(new IllegalStateException(
                "this desktop runs without the built-in SIP phone (" + why + "): answer on your desk phone"));
    }
}
