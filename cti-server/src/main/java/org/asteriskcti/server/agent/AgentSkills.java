package org.asteriskcti.server.agent;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an agent can handle: skills by name with a level from 1 (novice) to 10 (expert), and the
 * languages they speak. Names and languages are compared case-insensitively (kept lower case).
 */
public record AgentSkills(Map<String, Integer> levels, Set<String> languages) {

    public static final int MIN_LEVEL = 1;
    public static final int MAX_LEVEL = 10;

    public AgentSkills {
        levels = normalizedLevels(levels, "agent skill");
        languages = languages.stream().map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static AgentSkills none() {
        return new AgentSkills(Map.of(), Set.of());
    }

    /** The agent's level in {@code skill}, 0 when they do not have it. */
    public int level(String skill) {
        return levels.getOrDefault(skill.toLowerCase(Locale.ROOT), 0);
    }

    public boolean speaks(String language) {
        return languages.contains(language.toLowerCase(Locale.ROOT));
    }

    /** Lower-cases names and checks every level is within 1..10; shared with queue requirements. */
    public static Map<String, Integer> normalizedLevels(Map<String, Integer> levels, String what) {
        Map<String, Integer> out = new TreeMap<>();
        levels.forEach((name, level) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(what + " name must not be blank");
            }
            if (level == null || level < MIN_LEVEL || level > MAX_LEVEL) {
                throw new IllegalArgumentException(what + " '" + name + "' level must be " + MIN_LEVEL + ".."
                        + MAX_LEVEL + ", got " + level);
            }
            out.put(name.toLowerCase(Locale.ROOT), level);
        });
        return java.util.Collections.unmodifiableMap(out);
    }
}
