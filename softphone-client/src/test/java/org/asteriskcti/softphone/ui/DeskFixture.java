package org.asteriskcti.softphone.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.protocol.CallHistoryEntry;
import org.asteriskcti.protocol.ConversationInfo;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.QueueCall;
import org.asteriskcti.protocol.QueueInfo;
import org.asteriskcti.protocol.QueueStats;
import org.asteriskcti.softphone.cti.CallRequest;
import org.asteriskcti.softphone.cti.ConnectionStatus;
import org.asteriskcti.softphone.cti.CtiException;
import org.asteriskcti.softphone.cti.DeskCommands;
import org.asteriskcti.softphone.cti.DeskModel;
import org.asteriskcti.softphone.phone.Phone;

/** A desk fed by hand: the model through its stream methods, a fake clock, recording commands, a fake phone. */
final class DeskFixture {

    static final ObjectMapper JSON = Json.mapper();
    static final Instant T0 = Instant.parse("2025-03-03T09:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final DeskModel model = new DeskModel("1001");
    final RecordingCommands commands = new RecordingCommands();
    final FakePhone phone = new FakePhone();
    final DeskViewModel vm;

    DeskFixture() {
        vm = new DeskViewModel(model, commands, phone, clock, Runnable::run);
    }

    /** The fixture's "ready idle" desk: connected, snapshots of agents and agent:1001, queues. */
    DeskFixture readyIdle() {
        model.status(ConnectionStatus.CONNECTED, "connected");
        model.snapshot("system", tree(Map.of("state", "synced")));
        model.snapshot("agents", tree(Map.of("agents", List.of(agent("1001", "Alice", "READY", null, null),
                agent("1002", "Bob", "NOT_READY", "lunch", null), agent("1003", "Carol", "READY", null, null),
                agent("1004", "Dave", "ON_CALL", null, null)))));
        model.snapshot("agent:1001", tree(Map.of("agent", agent("1001", "Alice", "READY", null, null),
                "conversations", List.of(), "recordings", List.of(), "history", List.of(history()))));
        model.queues(List.of(new QueueInfo("sales", "Sales", stats(3), null), new QueueInfo("support", "Support", stats(0), null)));
        return this;
    }

    /** An ACD offer, and Asterisk rings the agent's phone. */
    DeskFixture offered() {
        return offer().ringing();
    }

    /** The server's offer alone (the phone has not rung yet). */
    DeskFixture offer() {
        model.event("agent.updated", List.of("agent:1001"), tree(agent("1001", "Alice", "RESERVED", null, null)));
        model.event("queue.call.offered", List.of("agent:1001"), tree(offer("OFFERING")));
        return this;
    }

    /** The INVITE reached the agent's phone. */
    DeskFixture ringing() {
        phone.state(FakePhone.State.RINGING);
        return this;
    }

    DeskFixture onCall() {
        model.event("queue.call.answered", List.of("agent:1001"), tree(offer("CONNECTED")));
        model.event("agent.updated", List.of("agent:1001"), tree(agent("1001", "Alice", "ON_CALL", null, null)));
        model.event("conversation.updated", List.of("agent:1001"), tree(conversation("ACTIVE", null)));
        return this;
    }

    DeskFixture wrapUp(Instant endsAt) {
        model.event("conversation.ended", List.of("agent:1001"), tree(conversation("ENDED", null)));
        model.event("queue.call.ended", List.of("agent:1001"), tree(offer("COMPLETED")));
        model.event("agent.updated", List.of("agent:1001"), tree(agent("1001", "Alice", "WRAP_UP", null, endsAt)));
        return this;
    }

    static JsonNode tree(Object o) {
        return JSON.valueToTree(o);
    }

    static AgentInfo agent(String id, String name, String state, String reason, Instant wrapUpEndsAt) {
        return new AgentInfo(id, name, "PJSIP/" + id, "IDLE", new AgentInfo.AcdAgent(state, reason, T0, "AGENT_REQUEST",
                null, true, false, null, null, null, 3, wrapUpEndsAt, wrapUpEndsAt == null ? null : wrapUpEndsAt.plusSeconds(120)));
    }

    static QueueStats stats(int waiting) {
        return new QueueStats("q", "q", T0, waiting, 0, null, 2, Map.of(), null);
    }

    static QueueCall offer(String state) {
        return new QueueCall("e1", "sales", "chan-caller", state, "WAITING", "1001", 1, 0, "NEW",
                T0.minusSeconds(42), T0.minusSeconds(42), T0, 42, false,
                new QueueCall.ScreenPop("+4930123456", "Erika Muster", "Berlin", "de",
                        List.of(new QueueCall.Choice("lang", "1"), new QueueCall.Choice("main", "2")),
                        Map.of("lookup.customer", "C-77", "account", "12345")));
    }

    static ConversationInfo conversation(String state, ConversationInfo.Transfer transfer) {
        return new ConversationInfo("conv-1", "t1", "ACD", state, null, null, "sales", T0, transfer, List.of(
                new ConversationInfo.PartyInfo("chan-caller", "CUSTOMER", null, "+4930123456", "Erika Muster", "CONNECTED",
                        false, T0, null),
                new ConversationInfo.PartyInfo("chan-agent", "AGENT", "1001", "1001", "Alice", "CONNECTED", false,
                        T0.plusSeconds(2), null)), 3);
    }

    static CallHistoryEntry history() {
        return new CallHistoryEntry("call-0", "t1", "1001", "INBOUND", "+4940999", "Max Mustermann",
                Instant.parse("2025-03-03T08:12:00Z"), Instant.parse("2025-03-03T08:12:05Z"),
                Instant.parse("2025-03-03T08:15:10Z"), 185, "ANSWERED", "ANSWERED", "sales", List.of());
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records what the view-models send; answers from {@link #next}, or a successful empty reply. */
    static final class RecordingCommands implements DeskCommands {
        final List<String> sent = new ArrayList<>();
        final List<CallRequest> calls = new ArrayList<>();
        CtiException refuse;

        private <T> CompletableFuture<T> answer(String what, T value) {
            sent.add(what);
            return refuse != null ? CompletableFuture.failedFuture(refuse) : CompletableFuture.completedFuture(value);
        }

        void refuseWith(String id, String message, Map<String, Object> details) {
            refuse = new CtiException(new ErrorBody(id, 400, message, details));
        }

        @Override
        public CompletableFuture<AgentInfo> agentLogin(boolean ready) {
            return answer("agent.login", null);
        }

        @Override
        public CompletableFuture<AgentInfo> agentLogout() {
            return answer("agent.logout", null);
        }

        @Override
        public CompletableFuture<AgentInfo> agentReady() {
            return answer("agent.ready", null);
        }

        @Override
        public CompletableFuture<AgentInfo> agentNotReady(String reason) {
            return answer("agent.not_ready " + reason, null);
        }

        @Override
        public CompletableFuture<AgentInfo> agentWrapUpEnd() {
            return answer("agent.wrap_up.end", null);
        }

        @Override
        public CompletableFuture<AgentInfo> agentWrapUpExtend(long seconds) {
            return answer("agent.wrap_up.extend " + seconds, null);
        }

        @Override
        public CompletableFuture<JsonNode> call(CallRequest request) {
            calls.add(request);
            return answer(request.type(), JSON.createObjectNode());
        }
    }

    /** A phone that rings when told, answers, hangs up and counts; named as the fake it is. */
    static final class FakePhone implements Phone {
        enum State { IDLE, RINGING, CONNECTED }

        int answered;
        int hungUp;
        final List<String> rejected = new ArrayList<>();
        final List<String> actions = new ArrayList<>();
        boolean held;
        boolean muted;
        private State state = State.IDLE;
        private final List<Runnable> listeners = new ArrayList<>();

        void state(State next) {
            state = next;
            if (next == State.IDLE) {
                held = false;
                muted = false;
            }
            listeners.forEach(Runnable::run);
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public String describe() {
            return "fake phone (tests)" + (state == State.IDLE ? "" : " " + state.name().toLowerCase());
        }

        @Override
        public boolean ringing() {
            return state == State.RINGING;
        }

        @Override
        public boolean inCall() {
            return state != State.IDLE;
        }

        @Override
        public CompletableFuture<Void> answer() {
            answered++;
            state(State.CONNECTED);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> hangup() {
            hungUp++;
            state(State.IDLE);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> reject(boolean busy) {
            rejected.add(busy ? "486" : "603");
            state(State.IDLE);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> hold(boolean on) {
            actions.add(on ? "hold" : "unhold");
            held = on;
            state(state);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> mute(boolean on) {
            actions.add(on ? "mute" : "unmute");
            muted = on;
            state(state);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean heldByUs() {
            return held;
        }

        @Override
        public boolean muted() {
            return muted;
        }

        @Override
        public void onChange(Runnable changed) {
            listeners.add(changed);
        }
    }
}
