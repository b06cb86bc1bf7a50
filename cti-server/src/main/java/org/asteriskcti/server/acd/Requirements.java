package org.asteriskcti.server.acd;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.asteriskcti.server.agent.AgentSkills;

/**
 * What an agent needs to take a caller: every listed skill at least at its level, the language when one
 * is set, and being the one agent the caller asked for when {@code agent} is set (an IVR's agent node:
 * the caller waits in the queue for that agent only).
 */
public record Requirements(Map<String, Integer> skills, Optional<String> language,
        Optional<org.asteriskcti.server.domain.AgentId> agent) {

    public Requirements {
        skills = AgentSkills.normalizedLevels(skills, "required skill");
        language = Objects.requireNonNull(language, "language").map(l -> l.toLowerCase(Locale.ROOT));
        Objects.requireNonNull(agent, "agent");
    }

    public Requirements(Map<String, Integer> skills, Optional<String> language) {
        this(skills, language, Optional.empty());
    }

    /** These requirements for {@code only} this agent (or any, when empty). */
    public Requirements onlyFor(Optional<org.asteriskcti.server.domain.AgentId> only) {
        return new Requirements(skills, language, only);
    }

    /** Whether {@code id} is an agent these requirements let take the caller (the one asked for, if any). */
    public boolean admits(org.asteriskcti.server.domain.AgentId id) {
        return agent.map(id::equals).orElse(true);
    }

    public static Requirements none() {
        return new Requirements(Map.of(), Optional.empty());
    }

    /** The queue's requirements tightened by a caller's: the higher level of each skill; the caller's language first. */
    public Requirements and(Map<String, Integer> moreSkills, Optional<String> callerLanguage) {
        Map<String, Integer> merged = new HashMap<>(skills);
        AgentSkills.normalizedLevels(moreSkills, "required skill").forEach((s, l) -> merged.merge(s, l, Math::max));
        return new Requirements(merged, callerLanguage.isPresent() ? callerLanguage : language, agent);
    }

    public boolean matches(AgentSkills agent) {
        if (language.isPresent() && !agent.speaks(language.get())) {
            return false;
        }
        return skills.entrySet().stream().allMatch(e -> agent.level(e.getKey()) >= e.getValue());
    }

    /** Skills-based score: the sum of the agent's levels in the required skills (higher is better). */
    public int score(AgentSkills agent) {
        return skills.keySet().stream().mapToInt(agent::level).sum();
    }
}
