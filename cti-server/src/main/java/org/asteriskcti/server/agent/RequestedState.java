package org.asteriskcti.server.agent;

import java.util.Objects;

/**
 * A state an agent asks for, or a supervisor forces. Only these three can be chosen: the others
 * (RESERVED, ON_CALL, WRAP_UP, ON_OTHER) follow calls that Asterisk reports, and forcing them would
 * make the model contradict the switch.
 */
public sealed interface RequestedState {

    /** READY now, or as soon as the current call, wrap-up or other call ends. */
    record Ready() implements RequestedState {
        @Override
        public String toString() {
            return "READY";
        }
    }

    /** NOT_READY with a reason, now or after the current call, wrap-up or other call. */
    record NotReady(NotReadyReason reason) implements RequestedState {
        public NotReady {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return "NOT_READY(" + reason + ")";
        }
    }

    record LoggedOut() implements RequestedState {
        @Override
        public String toString() {
            return "LOGGED_OUT";
        }
    }

    RequestedState READY = new Ready();
    RequestedState LOGGED_OUT = new LoggedOut();

    static RequestedState notReady(NotReadyReason reason) {
        return new NotReady(reason);
    }

    static RequestedState notReady(String reason) {
        return new NotReady(NotReadyReason.of(reason));
    }
}
