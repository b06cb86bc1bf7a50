package org.asteriskcti.server.survey;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.asteriskcti.server.config.CtiConfig;

/**
 * One queue's post-call survey, as configured ({@code queues[].survey}).
 *
 * @param question ARI media of the question ({@code sound:x}, {@code digits:1}...); the customer answers 1..5
 * @param invalid  said before the question is asked again after a key other than 1..5; empty: nothing
 * @param thanks   said once the survey is over, before we hang up; empty: we hang up at once
 * @param timeout  how long a key is waited for once the question has been said
 * @param retries  how many more times the question is asked after a timeout or an invalid key
 */
public record SurveyDefinition(List<String> question, List<String> invalid, List<String> thanks, Duration timeout,
        int retries) {

    public SurveyDefinition {
        question = List.copyOf(question);
        invalid = List.copyOf(invalid);
        thanks = List.copyOf(thanks);
        Objects.requireNonNull(timeout, "timeout");
        if (question.isEmpty()) {
            throw new IllegalArgumentException("a survey needs a question");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("survey timeout must be positive, got " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("survey retries must not be negative, got " + retries);
        }
    }

    public static SurveyDefinition of(CtiConfig.Survey s) {
        return new SurveyDefinition(s.question(), s.invalid(), s.thanks(), s.timeout(), s.retries());
    }

    /** How often the question is asked at most. */
    public int maxAsks() {
        return 1 + retries;
    }
}
