package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The live suite's wait helper: which uncaught exceptions of other threads fail a wait. */
class CtiItWaitTest {

    private static void dieInAnotherThread(RuntimeException e, AtomicBoolean done) {
        Thread t = new Thread(() -> {
            try {
                throw e;
            } finally {
                done.set(true);
            }
        }, "Asterisk-Java ManagerConnection-1-Reader-0");
        t.start();
    }

    @Test
    void givenAsteriskJavasPumpShutdownRace_whenItDiesDuringAWait_thenTheWaitStillSucceeds() {
        AtomicBoolean done = new AtomicBoolean();
        CtiIt.within(Duration.ofSeconds(5), "the other thread ran", () -> {
            if (!done.get()) {
                dieInAnotherThread(new RuntimeException(
                        "Asterisk-Java ManagerConnection-1-Reader-0:AsyncEventPump Failed to shutdown AsyncEventPump cleanly!"), done);
            }
            return done.get();
        }, () -> "");
    }

    @Test
    void givenAnyOtherUncaughtException_whenAThreadDiesDuringAWait_thenTheWaitFails() {
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean started = new AtomicBoolean();
        assertThatThrownBy(() -> CtiIt.within(Duration.ofSeconds(2), "never", () -> {
            if (started.compareAndSet(false, true)) {
                dieInAnotherThread(new IllegalStateException("a real crash"), done);
            }
            return false;
        }, () -> "")).hasMessageContaining("a real crash");
    }
}
