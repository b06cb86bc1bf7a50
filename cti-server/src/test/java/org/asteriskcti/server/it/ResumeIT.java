package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.it.CtiIt.awaitEvent;
import static org.asteriskcti.server.it.CtiIt.callId;
import static org.asteriskcti.server.it.CtiIt.state;
import static org.asteriskcti.server.it.CtiIt.withLeg;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client whose WebSocket dies during a call resumes its session and misses nothing: the frames
 * it saw before the drop and the ones replayed after it form one gap-free, duplicate-free seq run
 * through the end of the call.
 */
class ResumeIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    @BeforeEach
    void edgesWired() {
    }

    @Test
    void givenSupervisorInACall_whenItsWebSocketIsKilledAndResumed_thenSeqsAreContinuousThroughCallEnd() {
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("cti-resume"), AsteriskUnderTest.AMI_PORT)) {
            CtiIt.awaitHealthUp(cti);
            CtiClient.Connection first = CtiIt.supervisorOnCalls(cti);
            // A second, independent session that stays up: it tells us when the call has ended while
            // the first one is away, so the first really misses events.
            CtiClient.Connection observer = CtiIt.supervisorOnCalls(cti);
            JsonNode welcome = first.welcome().orElseThrow();
            String sessionId = welcome.path("session_id").asText();
            assertThat(sessionId).isNotBlank();

            Sipp.Phone agent = env.sipp().agentAnswering("1001", Duration.ofMillis(500));
            Sipp.Phone customer = env.sipp().customerCalling("2001", "1001", Duration.ofSeconds(4));

            JsonNode connected = awaitEvent(first, "call.updated", withLeg("PJSIP/1001").and(state("CONNECTED")),
                    "the call 2001 -> 1001 CONNECTED on the first connection");
            String id = connected.path("call_id").asText();

            // The network drops the first connection mid-call (no close handshake).
            first.abort();
            long lastSeq = first.lastSeq();
            List<Long> before = first.seqs();

            // Meanwhile the call ends.
            awaitEvent(observer, "call.ended", callId(id), "call " + id + " ended (seen by the observer)");

            CtiClient.Connection resumed = cti.login(CtiIt.SUPERVISOR, CtiIt.SUPERVISOR).resume(sessionId, lastSeq);
            CtiIt.within(Duration.ofSeconds(5), "welcome of the resumed session", () -> resumed.welcome().isPresent(),
                    resumed::dump);
            JsonNode again = resumed.welcome().orElseThrow();
            assertThat(again.path("session_id").asText()).as("%s", again).isEqualTo(sessionId);
            assertThat(again.path("resumed").asBoolean()).as("%s", again).isTrue();
            assertThat(again.path("resume_result").asText()).as("%s", again).isEqualTo("replay");

            awaitEvent(resumed, "call.ended", callId(id), "call " + id + " ended, replayed on the resumed session");
            JsonNode ended = resumed.event("call.ended", callId(id)).orElseThrow().path("data");
            assertThat(ended.path("disposition").asText()).isEqualTo("ANSWERED");

            List<Long> after = resumed.seqs();
            assertThat(after).as("replayed frames start right after last_seq %d: %s", lastSeq, resumed.dump())
                    .isNotEmpty().first().isEqualTo(lastSeq + 1);
            List<Long> all = new ArrayList<>(before);
            all.addAll(after);
            long max = all.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(all).as("seqs before the drop %s and after the resume %s", before, after)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, max).boxed().toList());

            customer.assertSucceeded(CtiIt.CALL_BOUND);
            agent.assertSucceeded(CtiIt.CALL_BOUND);
            resumed.close();
            observer.close();
        }
    }
}
