package org.asteriskcti.server.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** What the CTI-level integration tests share: waiting for health and sync, finding calls in frames. */
final class CtiIt {

    static final String SUPERVISOR = "supervisor";
    static final Duration LINK_BOUND = Duration.ofSeconds(20);
    static final Duration CALL_BOUND = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofMillis(100);

    private CtiIt() {}

    /**
     * Awaitility with a bound, whose timeout message carries {@code context} (frames received, the
     * last /health...): a failing IT then says what it saw, not only what it missed.
     */
    static void within(Duration bound, String what, Callable<Boolean> condition, Supplier<String> context) {
        try {
            await(what).atMost(bound).pollInterval(POLL).ignoreExceptionsMatching(CtiIt::asteriskJavaPumpRace)
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + ": not within " + bound + "\n" + context.get(), e);
        }
    }

    /**
     * Awaitility fails a wait when any thread dies of an uncaught exception. asterisk-java's reader
     * thread of a login attempt that timed out (a proxy that accepted but never forwarded, in AmiCutIT)
     * can throw "Failed to shutdown AsyncEventPump cleanly!" when it stops an event pump whose thread
     * already exited: a race inside asterisk-java on a connection the connector has already discarded.
     * Exactly that one is ignored; any other uncaught exception still fails the wait.
     */
    static boolean asteriskJavaPumpRace(Throwable t) {
        return t instanceof RuntimeException && t.getMessage() != null
                && t.getMessage().endsWith("AsyncEventPump Failed to shutdown AsyncEventPump cleanly!");
    }

    /** Waits until /health says UP with AMI and ARI up (HTTP 200). */
    /** GET on the test Asterisk's ARI ({@code path} after /ari), its JSON body, or null on a non-2xx answer. */
    static JsonNode ari(String path) {
        try {
            String auth = java.util.Base64.getEncoder().encodeToString((AsteriskUnderTest.ARI_USER + ":"
                    + AsteriskUnderTest.ARI_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://" + AsteriskUnderTest.HOST + ":" + AsteriskUnderTest.HTTP_PORT
                            + "/ari" + path)).header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(5)).GET()
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2 ? CtiClient.parse(r.body()) : null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static CtiClient.Health awaitHealthUp(CtiUnderTest cti) {
        AtomicReference<CtiClient.Health> last = new AtomicReference<>();
        within(LINK_BOUND, "CTI /health UP", () -> {
            CtiClient.Health h = cti.health();
            last.set(h);
            return h.httpStatus() == 200 && "UP".equals(h.status()) && "UP".equals(h.ami()) && "UP".equals(h.ari());
        }, () -> "last /health: " + last.get());
        return last.get();
    }

    /** A supervisor's session subscribed to "calls": reply ok and the calls snapshot received. */
    static CtiClient.Connection supervisorOnCalls(CtiUnderTest cti) {
        CtiClient client = cti.login(SUPERVISOR, SUPERVISOR);
        CtiClient.Connection ws = client.connect();
        within(Duration.ofSeconds(5), "welcome", () -> ws.welcome().isPresent(), ws::dump);
        String id = ws.subscribe("calls");
        within(Duration.ofSeconds(5), "subscribe reply ok and the calls snapshot",
                () -> ws.reply(id).map(r -> r.path("ok").asBoolean()).orElse(false) && !ws.snapshots("calls").isEmpty(),
                ws::dump);
        return ws;
    }

    /** The model's sync state as last reported on this connection (system snapshot, then sync events). */
    static Optional<String> syncState(CtiClient.Connection ws) {
        String state = null;
        for (JsonNode f : ws.stream()) {
            boolean systemSnapshot = "snapshot".equals(f.path("type").asText()) && "system".equals(f.path("topic").asText());
            boolean syncEvent = "event".equals(f.path("type").asText()) && "sync".equals(f.path("event").asText());
            if (systemSnapshot || syncEvent) {
                state = f.path("data").path("state").asText(null);
            }
        }
        return Optional.ofNullable(state);
    }

    /** Index in the stream of the first sync event after {@code fromIndex} whose state is {@code state}; -1 if none. */
    static int syncEventIndex(CtiClient.Connection ws, String state, int fromIndex) {
        List<JsonNode> s = ws.stream();
        for (int i = Math.max(0, fromIndex); i < s.size(); i++) {
            JsonNode f = s.get(i);
            if ("event".equals(f.path("type").asText()) && "sync".equals(f.path("event").asText())
                    && state.equals(f.path("data").path("state").asText())) {
                return i;
            }
        }
        return -1;
    }

    /** A call (event data) with a leg on this device ({@code PJSIP/1001}). */
    static boolean hasLeg(JsonNode call, String device) {
        for (JsonNode leg : call.path("legs")) {
            if (device.equals(leg.path("device").asText()) || leg.path("name").asText().startsWith(device + "-")) {
                return true;
            }
        }
        return false;
    }

    static Predicate<JsonNode> withLeg(String device) {
        return call -> hasLeg(call, device);
    }

    static Predicate<JsonNode> callId(String id) {
        return call -> id.equals(call.path("call_id").asText());
    }

    static Predicate<JsonNode> state(String state) {
        return call -> state.equals(call.path("state").asText());
    }

    /** Waits for an event of this name whose data matches; returns its data. */
    static JsonNode awaitEvent(CtiClient.Connection ws, String event, Predicate<JsonNode> data, String what) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        within(CALL_BOUND, what, () -> {
            Optional<JsonNode> e = ws.event(event, data);
            e.ifPresent(f -> found.set(f.path("data")));
            return e.isPresent();
        }, ws::dump);
        return found.get();
    }
}
