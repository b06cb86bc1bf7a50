package org.asteriskcti.server.agent;

import java.util.Objects;
import org.asteriskcti.server.domain.UserId;

/**
 * The cause of one agent transition.
 *
 * @param supervisor set exactly when {@code kind} is {@link TransitionCause#FORCED_BY_SUPERVISOR}
 */
public record Cause(TransitionCause kind, UserId supervisor) {

    public Cause {
        Objects.requireNonNull(kind, "kind");
        if ((kind == TransitionCause.FORCED_BY_SUPERVISOR) != (supervisor != null)) {
            throw new IllegalArgumentException("a supervisor id goes with FORCED_BY_SUPERVISOR and only with it");
        }
    }

    public static Cause of(TransitionCause kind) {
        return new Cause(kind, null);
    }

    public static Cause forcedBy(UserId supervisor) {
        return new Cause(TransitionCause.FORCED_BY_SUPERVISOR, Objects.requireNonNull(supervisor, "supervisor"));
    }

    @Override
    public String toString() {
        return supervisor == null ? kind.name() : kind + " by " + supervisor;
    }
}
