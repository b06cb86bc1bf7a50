package org.asteriskcti.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.OverflowTarget;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.acd.stats.QueueEvent.Overflowed;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.junit.jupiter.api.Test;

class QueueEventJsonTest {

    private final QueueEventJson json = new QueueEventJson();
    private final ObjectMapper plain = new ObjectMapper();

    @Test
    void givenEveryRecordOfTheSealedInterface_whenTheStoredTypesAreListed_thenEachHasANameAndASample() {
        Set<Class<?>> records = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(QueueEvent.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c.isSealed()) {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            } else {
                records.add(c);
            }
        }
        assertThat(Set.copyOf(QueueEventJson.types().values())).isEqualTo(records);
        assertThat(QueueEventSamples.all()).extracting(Object::getClass).containsAll(records);
        QueueEventJson.types().forEach((name, type) -> assertThat(type.getSimpleName()).isEqualTo(name));
    }

    @Test
    void givenEverySample_whenWrittenAndReadBack_thenItEqualsTheOriginalToTheNanosecond() {
        for (QueueEvent e : QueueEventSamples.all()) {
            QueueEvent back = json.read(QueueEventJson.typeOf(e), json.write(e));
            assertThat(back).as(e.toString()).isEqualTo(e);
            assertThat(back.at().getNano()).isEqualTo(e.at().getNano());
        }
    }

    @Test
    void givenAnEnteredEvent_whenWritten_thenTheJsonIsTheDocumentedFormat() throws Exception {
        Entered e = new Entered(Instant.parse("2026-11-23T09:00:00.123456789Z"), QueueId.of("sales"), TenantId.of("demo"),
                EntryId.of("c1/1"), ChannelId.of("c1"), Instant.parse("2026-11-23T08:59:30Z"), EntryOrigin.TRANSFERRED, 2);
        String stored = """
                {"at":"2026-11-23T09:00:00.123456789Z","queue":"sales","tenant":"demo","entry":"c1/1","caller":"c1",
                 "arrivedAt":"2026-11-23T08:59:30Z","origin":"TRANSFERRED","priority":2,"did":null}""";

        assertThat(plain.readTree(json.write(e))).isEqualTo(plain.readTree(stored));
        assertThat(json.read("Entered", stored)).isEqualTo(e);
    }

    @Test
    void givenAnEnteredWithTheDidDialled_thenItIsStoredAndReadBack_andAnOldRowWithoutDidReadsAsNull() throws Exception {
        Entered e = new Entered(Instant.parse("2026-11-23T09:00:00Z"), QueueId.of("sales"), TenantId.of("demo"),
                EntryId.of("c1/1"), ChannelId.of("c1"), Instant.parse("2026-11-23T09:00:00Z"), EntryOrigin.NEW, 0, "700");
        assertThat(plain.readTree(json.write(e)).get("did").asText()).isEqualTo("700");
        assertThat(json.read("Entered", json.write(e))).isEqualTo(e);

        String old = """
                {"at":"2026-11-23T09:00:00Z","queue":"sales","tenant":"demo","entry":"c1/1","caller":"c1",
                 "arrivedAt":"2026-11-23T09:00:00Z","origin":"NEW","priority":0}""";
        Entered back = (Entered) json.read("Entered", old);
        assertThat(back.did()).isNull();
        assertThat(back).isEqualTo(new Entered(e.at(), e.queue(), e.tenant(), e.entry(), e.caller(), e.arrivedAt(),
                EntryOrigin.NEW, 0));
        // Still strict about anything else.
        assertThatThrownBy(() -> json.read("Entered", old.replace("\"priority\":0", "\"priority\":0,\"x\":1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenEachOverflowTarget_whenWritten_thenItIsAOneKeyObjectAsInTheConfiguration() throws Exception {
        Instant at = Instant.parse("2026-11-23T09:00:00Z");
        List<OverflowTarget> targets = List.of(new OverflowTarget.ToQueue(QueueId.of("support")),
                new OverflowTarget.ToVoicemail("1000@default"), new OverflowTarget.HangupWithMessage("goodbye"));
        List<String> expected = List.of("{\"queue\":\"support\"}", "{\"voicemail\":\"1000@default\"}",
                "{\"message\":\"goodbye\"}");
        for (int i = 0; i < targets.size(); i++) {
            Overflowed o = new Overflowed(at, QueueId.of("sales"), EntryId.of("c1/1"), Duration.ofMillis(1500),
                    targets.get(i), QueueEvent.OverflowReason.MAX_WAIT);
            String stored = "{\"at\":\"2026-11-23T09:00:00Z\",\"queue\":\"sales\",\"entry\":\"c1/1\",\"waited\":\"PT1.5S\","
                    + "\"target\":" + expected.get(i) + ",\"reason\":\"MAX_WAIT\"}";
            assertThat(plain.readTree(json.write(o))).isEqualTo(plain.readTree(stored));
            assertThat(json.read("Overflowed", stored)).isEqualTo(o);
        }
    }

    @Test
    void givenAnAgentIntervalWithoutReason_whenWritten_thenTheReasonIsAnExplicitNullAndReadsBackAsNull() throws Exception {
        AgentStateInterval s = new AgentStateInterval(Instant.parse("2026-11-23T09:00:00Z"), AgentId.of("a1"),
                TenantId.of("demo"), AgentState.READY, AgentState.RESERVED, null, TransitionCause.OFFERED,
                Duration.ofSeconds(61));
        String stored = """
                {"at":"2026-11-23T09:00:00Z","agent":"a1","tenant":"demo","from":"READY","to":"RESERVED","reason":null,
                 "cause":"OFFERED","inFromState":"PT1M1S"}""";

        assertThat(plain.readTree(json.write(s))).isEqualTo(plain.readTree(stored));
        assertThat(json.read("AgentStateInterval", stored)).isEqualTo(s);
        assertThat(json.read("AgentStateInterval", stored.replace("\"reason\":null", "\"reason\":\"lunch\"")))
                .isEqualTo(new AgentStateInterval(s.at(), s.agent(), s.tenant(), s.from(), s.to(), NotReadyReason.of("lunch"),
                        s.cause(), s.inFromState()));
    }

    @Test
    void givenDamagedPayloads_whenRead_thenEachIsRefusedSayingWhyInsteadOfComingBackDifferent() {
        String good = """
                {"at":"2026-11-23T09:00:00Z","queue":"sales","entry":"c1/1","agent":"a1","waited":"PT4S"}""";
        assertThat(json.read("Answered", good)).isInstanceOf(QueueEvent.Answered.class);

        assertThatThrownBy(() -> json.read("Answered", good.replace(",\"waited\":\"PT4S\"", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("waited");
        assertThatThrownBy(() -> json.read("Answered", good.replace("}", ",\"extra\":1}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extra");
        assertThatThrownBy(() -> json.read("Answered", good.replace("\"a1\"", "\" \"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AgentId");
        assertThatThrownBy(() -> json.read("Answered", good.replace("\"a1\"", "{\"value\":\"a1\"}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> json.read("Answered", good + "{}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> json.read("Hungup", good))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown queue event type 'Hungup'");
        String overflow = "{\"at\":\"2026-11-23T09:00:00Z\",\"queue\":\"sales\",\"entry\":\"c1/1\",\"waited\":\"PT1S\","
                + "\"target\":{\"fax\":\"x\"},\"reason\":\"MAX_WAIT\"}";
        assertThatThrownBy(() -> json.read("Overflowed", overflow)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> json.read("Overflowed", overflow.replace("\"fax\":\"x\"", "\"queue\":\"\"")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> json.read("Overflowed", overflow.replace("MAX_WAIT", "0")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenASurveyEnded_whenWritten_thenTheJsonIsTheDocumentedFormatAndABadScoreIsRefused() throws Exception {
        QueueEvent.SurveyEnded e = new QueueEvent.SurveyEnded(Instant.parse("2026-11-23T09:05:00.5Z"), QueueId.of("support"),
                EntryId.of("c1/1"), AgentId.of("agent-1001"), QueueEvent.SurveyOutcome.ANSWERED, 4);
        String stored = """
                {"at":"2026-11-23T09:05:00.500Z","queue":"support","entry":"c1/1","agent":"agent-1001",
                 "outcome":"ANSWERED","score":4}""";

        assertThat(plain.readTree(json.write(e))).isEqualTo(plain.readTree(stored));
        assertThat(json.read("SurveyEnded", stored)).isEqualTo(e);
        assertThatThrownBy(() -> json.read("SurveyEnded", stored.replace("\"score\":4", "\"score\":6")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..5");
        assertThatThrownBy(() -> json.read("SurveyEnded", stored.replace("ANSWERED", "HUNG_UP")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 otherwise");
        assertThatThrownBy(() -> json.read("SurveyEnded", stored.replace(",\"score\":4", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("score");
    }
}
