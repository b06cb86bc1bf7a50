package org.asteriskcti.softphone.phone;

import java.util.concurrent.CompletableFuture;

/**
 * No built-in phone: the agent answers on their desk phone or another softphone registered as their device. The
 * Answer button then explains this instead of doing nothing.
 */
public final class NoPhone implements Phone {

    @Override
    public boolean available() {
        return false;
    }

    @Override
    public String describe() {
        return "no built-in phone: answer on your desk phone";
    }

    @Override
    public CompletableFuture<Void> answer() {
        return CompletableFuture.failedFuture(new IllegalStateException(
                "this desktop has no built-in SIP phone yet: answer on your desk phone"));
    }
}
