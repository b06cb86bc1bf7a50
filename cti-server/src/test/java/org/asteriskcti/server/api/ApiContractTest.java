package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.agent.AgentError;
import org.asteriskcti.server.control.ControlException;
import org.junit.jupiter.api.Test;

/**
 * The contract files and the code name the same things: every agent command, event and error id the
 * server uses is in docs/asyncapi.yaml (and docs/openapi.yaml for REST), and the ACD's own error ids
 * are the protocol's constants.
 */
class ApiContractTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode doc(String name) throws IOException {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("docs").resolve(name);
            if (Files.isRegularFile(f)) {
                return YAML.readTree(f.toFile());
            }
        }
        throw new IllegalStateException("docs/" + name + " not found above " + Paths.get("").toAbsolutePath());
    }

    private static Set<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).collect(Collectors.toSet());
    }

    private static List<String> constants(Class<?> holder) throws IllegalAccessException {
        List<String> out = new ArrayList<>();
        for (Field f : holder.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                out.add((String) f.get(null));
            }
        }
        return out;
    }

    @Test
    void everyAgentCommandIsAWebSocketMessageTheClientSends() throws IOException {
        JsonNode async = doc("asyncapi.yaml");
        Set<String> sent = new java.util.HashSet<>();
        for (JsonNode ref : async.at("/operations/sendCommands/messages")) {
            String name = ref.get("$ref").asText().substring("#/channels/ws/messages/".length());
            String target = async.at("/channels/ws/messages/" + name + "/$ref").asText();
            JsonNode type = async.at(target.substring(1) + "/payload/properties/type");
            if (type.has("const")) {
                sent.add(type.get("const").asText());
            } else {
                type.path("enum").forEach(t -> sent.add(t.asText()));
            }
        }
        assertThat(sent).containsAll(Protocol.Type.AGENT_COMMANDS).containsAll(Protocol.Type.CALL_COMMANDS)
                .contains(Protocol.Type.SUBSCRIBE, Protocol.Type.PING).doesNotContain("");
    }

    @Test
    void everyCallCommandIncludingSupervisionIsAWebSocketMessageTheClientSends() throws IOException {
        JsonNode async = doc("asyncapi.yaml");
        Set<String> sent = new java.util.HashSet<>();
        for (JsonNode ref : async.at("/operations/sendCommands/messages")) {
            String name = ref.get("$ref").asText().substring("#/channels/ws/messages/".length());
            String target = async.at("/channels/ws/messages/" + name + "/$ref").asText();
            JsonNode type = async.at(target.substring(1) + "/payload/properties/type");
            if (type.has("const")) {
                sent.add(type.get("const").asText());
            }
            sent.addAll(texts(type.path("enum")));
        }
        assertThat(sent).containsAll(Protocol.Type.CALL_COMMANDS)
                .contains(Protocol.Type.CALL_MONITOR_LISTEN, Protocol.Type.CALL_MONITOR_WHISPER, Protocol.Type.CALL_MONITOR_BARGE,
                        Protocol.Type.CALL_MONITOR_STOP);
        assertThat(Protocol.Type.CALL_COMMANDS).containsAll(Protocol.Type.MONITOR_COMMANDS);
    }

    @Test
    void theCallControlErrorIdsAreTheProtocolsAndAreInBothContracts() throws Exception {
        Set<String> protocol = Set.copyOf(constants(Protocol.Errors.class));
        Set<String> ws = texts(doc("asyncapi.yaml").at("/components/schemas/errorBody/properties/error_id/enum"));
        Set<String> rest = texts(doc("openapi.yaml").at("/components/schemas/ErrorBody/properties/error_id/enum"));
        for (String id : constants(ControlException.class)) {
            if (id.startsWith("pickup.")) {
                continue; // declared for a pickup command not built yet: no command can answer it
            }
            assertThat(protocol).as("ControlException %s", id).contains(id);
            assertThat(ws).as("asyncapi error ids").contains(id);
            assertThat(rest).as("openapi error ids").contains(id);
        }
        for (String id : protocol) {
            if (id.startsWith("call.") || id.startsWith("transfer.") || id.startsWith("command.") || id.startsWith("monitor.")) {
                assertThat(ws).as("asyncapi error ids").contains(id);
                assertThat(rest).as("openapi error ids").contains(id);
            }
        }
    }

    @Test
    void theReportRoutesAndErrorIdsAreInTheRestContract() throws Exception {
        Set<String> rest = texts(doc("openapi.yaml").at("/components/schemas/ErrorBody/properties/error_id/enum"));
        assertThat(rest).contains(Protocol.Errors.REPORT_INVALID_REQUEST, Protocol.Errors.REPORT_UNKNOWN);
        JsonNode paths = doc("openapi.yaml").get("paths");
        for (org.asteriskcti.server.report.ReportRequest.Kind k : org.asteriskcti.server.report.ReportRequest.Kind.values()) {
            JsonNode get = paths.at("/~1api~1v1~1reports~1" + k.path() + "/get");
            assertThat(get.isMissingNode()).as(k.path()).isFalse();
            assertThat(get.at("/responses/200/content/text~1csv").isMissingNode()).as(k.path() + " csv").isFalse();
        }
    }

    @Test
    void theCallRecordRoutesAndFieldsAreInTheRestContract() throws Exception {
        JsonNode paths = doc("openapi.yaml").get("paths");
        assertThat(paths.at("/~1api~1v1~1call-records/get/responses/200/content/text~1csv").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1call-records~1{callId}/get").isMissingNode()).isFalse();
        JsonNode schema = doc("openapi.yaml").at("/components/schemas/CallRecord");
        org.asteriskcti.server.cdr.CallRecord r = new org.asteriskcti.server.cdr.CallRecord(
                org.asteriskcti.server.domain.CallId.of("c"), org.asteriskcti.server.domain.TenantId.of("t"),
                org.asteriskcti.server.call.Direction.INBOUND, java.time.Instant.EPOCH, null, java.time.Instant.EPOCH, "",
                "", "", null, null, List.of(), 0, 0, 0, 0, 0, List.of(), List.of(), List.of(), null, null, 0,
                org.asteriskcti.server.cdr.CdrDisposition.UNANSWERED, true, List.of());
        Set<String> shown = CallRecordsApi.map(r).keySet();
        assertThat(texts(schema.get("required"))).containsExactlyInAnyOrderElementsOf(shown);
        Set<String> props = new java.util.HashSet<>();
        schema.get("properties").fieldNames().forEachRemaining(props::add);
        assertThat(props).containsExactlyInAnyOrderElementsOf(shown);
        assertThat(texts(schema.at("/properties/disposition/enum"))).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(org.asteriskcti.server.cdr.CdrDisposition.values()).map(Enum::name).toList());
    }

    @Test
    void everyEventIsDocumented() throws Exception {
        Set<String> documented = texts(doc("asyncapi.yaml").at("/components/messages/event/payload/properties/event/enum"));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(constants(Protocol.Events.class));
    }

    @Test
    void theAcdsErrorIdsAreTheProtocolsAndAreInBothContracts() throws Exception {
        Set<String> protocol = Set.copyOf(constants(Protocol.Errors.class));
        Set<String> ws = texts(doc("asyncapi.yaml").at("/components/schemas/errorBody/properties/error_id/enum"));
        Set<String> rest = texts(doc("openapi.yaml").at("/components/schemas/ErrorBody/properties/error_id/enum"));
        for (AgentError e : AgentError.values()) {
            if (e == AgentError.OTHER_TENANT) {
                continue; // never sent: another tenant's agent is refused as agent.unknown
            }
            assertThat(protocol).as("AgentError %s", e).contains(e.id());
            assertThat(ws).as("asyncapi error ids").contains(e.id());
            assertThat(rest).as("openapi error ids").contains(e.id());
        }
        assertThat(ws).contains(Protocol.Errors.FORBIDDEN, Protocol.Errors.ACD_DISABLED);
        assertThat(rest).contains(Protocol.Errors.ACD_UNKNOWN_QUEUE, Protocol.Errors.ACD_DISABLED);
        assertThat(org.asteriskcti.server.acd.AcdError.UNKNOWN_QUEUE.id()).isEqualTo(Protocol.Errors.ACD_UNKNOWN_QUEUE);
    }

    @Test
    void theVoicemailErrorIdsAreTheProtocolsAndItsRoutesAreInTheRestContract() throws Exception {
        Set<String> protocol = Set.copyOf(constants(Protocol.Errors.class));
        Set<String> rest = texts(doc("openapi.yaml").at("/components/schemas/ErrorBody/properties/error_id/enum"));
        for (org.asteriskcti.server.voicemail.VoicemailError e : org.asteriskcti.server.voicemail.VoicemailError.values()) {
            assertThat(protocol).as("VoicemailError %s", e).contains(e.id());
            assertThat(rest).as("openapi error ids").contains(e.id());
        }
        JsonNode paths = doc("openapi.yaml").get("paths");
        assertThat(paths.at("/~1api~1v1~1voicemail/get").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1voicemail~1{voicemailId}/get").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1voicemail~1{voicemailId}/delete").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1voicemail~1{voicemailId}~1heard/post").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1voicemail~1{voicemailId}~1audio/get/responses/200/content/audio~1wav")
                .isMissingNode()).isFalse();
    }

    @Test
    void theRecordingErrorIdsAreTheProtocolsAndInTheRestContract() throws Exception {
        Set<String> protocol = Set.copyOf(constants(Protocol.Errors.class));
        Set<String> rest = texts(doc("openapi.yaml").at("/components/schemas/ErrorBody/properties/error_id/enum"));
        for (org.asteriskcti.server.recording.RecordingError e : org.asteriskcti.server.recording.RecordingError.values()) {
            assertThat(protocol).as("RecordingError %s", e).contains(e.id());
            assertThat(rest).as("openapi error ids").contains(e.id());
        }
        JsonNode paths = doc("openapi.yaml").get("paths");
        assertThat(paths.at("/~1api~1v1~1recordings/get").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1recordings~1{recordingId}/get").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1recordings~1{recordingId}~1audio/get/responses/200/content/audio~1wav")
                .isMissingNode()).isFalse();
    }

    @Test
    void everyRestAgentActionIsAPostPathOfTheOpenApi() throws IOException {
        JsonNode paths = doc("openapi.yaml").get("paths");
        for (String action : HttpHandler.AGENT_ACTIONS.keySet()) {
            assertThat(paths.at("/" + ("/api/v1/agents/{agentId}/" + action).replace("~", "~0").replace("/", "~1") + "/post")
                    .isMissingNode()).as("POST /api/v1/agents/{agentId}/%s", action).isFalse();
        }
        assertThat(paths.has("/api/v1/queues")).isTrue();
        assertThat(paths.has("/api/v1/queues/{queueId}")).isTrue();
        assertThat(paths.at("/~1api~1v1~1call-control~1{command}/post").isMissingNode()).as("POST /api/v1/call-control/{command}").isFalse();
    }

    @Test
    void theCallHistoryEntryIsDocumentedFieldForFieldInBothContracts() throws Exception {
        Set<String> fields = new java.util.HashSet<>();
        for (var c : org.asteriskcti.protocol.CallHistoryEntry.class.getRecordComponents()) {
            fields.add(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
        }
        Set<String> recording = new java.util.HashSet<>();
        for (var c : org.asteriskcti.protocol.CallHistoryEntry.Recording.class.getRecordComponents()) {
            recording.add(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
        }
        JsonNode ws = doc("asyncapi.yaml").at("/components/schemas/callHistoryEntry/properties");
        JsonNode rest = doc("openapi.yaml").at("/components/schemas/CallHistoryEntry/properties");
        assertThat(fieldNames(ws)).containsExactlyInAnyOrderElementsOf(fields);
        assertThat(fieldNames(rest)).containsExactlyInAnyOrderElementsOf(fields);
        assertThat(fieldNames(ws.at("/recordings/items/properties"))).containsExactlyInAnyOrderElementsOf(recording);
        assertThat(fieldNames(rest.at("/recordings/items/properties"))).containsExactlyInAnyOrderElementsOf(recording);
        assertThat(texts(ws.at("/disposition/enum"))).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(org.asteriskcti.server.history.AgentDisposition.values()).map(Enum::name).toList());
        assertThat(texts(ws.at("/direction/enum"))).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(org.asteriskcti.server.call.Direction.values()).map(Enum::name).toList());
    }

    @Test
    void theHistoryRouteIsAGetWithALimitAndItsErrorIdIsInTheRestContract() throws Exception {
        JsonNode get = doc("openapi.yaml").at("/paths/" + ("/api/v1/agents/{agentId}/" + HttpHandler.HISTORY)
                .replace("~", "~0").replace("/", "~1") + "/get");
        assertThat(get.isMissingNode()).as("GET /api/v1/agents/{agentId}/history").isFalse();
        assertThat(StreamSupport.stream(get.get("parameters").spliterator(), false).map(p -> p.path("name").asText()))
                .contains("limit");
        assertThat(texts(doc("openapi.yaml").at("/components/schemas/ErrorBody/properties/error_id/enum")))
                .contains(Protocol.Errors.HISTORY_INVALID_REQUEST);
        assertThat(doc("asyncapi.yaml").at("/components/messages/snapshot/payload/properties/data/oneOf/3/properties/history/items/$ref")
                .asText()).isEqualTo("#/components/schemas/callHistoryEntry");
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> out = new java.util.HashSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void callControlsErrorIdsAreTheProtocolsAndAreInBothContracts() throws Exception {
        Set<String> protocol = Set.copyOf(constants(Protocol.Errors.class));
        Set<String> ws = texts(doc("asyncapi.yaml").at("/components/schemas/errorBody/properties/error_id/enum"));
        Set<String> rest = texts(doc("openapi.yaml").at("/components/schemas/ErrorBody/properties/error_id/enum"));
        List<String> control = constants(org.asteriskcti.server.control.ControlException.class);
        assertThat(control).hasSizeGreaterThan(10);
        control.add(Protocol.Errors.COMMAND_ID_REUSED);
        control.add(Protocol.Errors.CALL_CONTROL_DISABLED);
        for (String id : control) {
            assertThat(protocol).as("Protocol.Errors").contains(id);
            assertThat(ws).as("asyncapi error ids").contains(id);
            assertThat(rest).as("openapi error ids").contains(id);
        }
    }

    @Test
    void everyCallCommandIsARestCommandOfTheOpenApi() throws IOException {
        JsonNode paths = doc("openapi.yaml").get("paths");
        Set<String> documented = texts(paths.at("/~1api~1v1~1call-control~1{command}/post/parameters/0/schema/enum"));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(Protocol.Type.CALL_COMMANDS);
        assertThat(paths.has("/api/v1/conversations")).isTrue();
    }

    @Test
    void everyFieldOfTodaysQueueFiguresIncludingTheSurveysIsInTheQueueStatsSchema() throws Exception {
        JsonNode today = doc("asyncapi.yaml").at("/components/schemas/queueStats/properties/today/properties");
        for (java.lang.reflect.RecordComponent c : org.asteriskcti.protocol.QueueStats.Today.class.getRecordComponents()) {
            assertThat(today.has(snake(c.getName()))).as("queueStats.today.%s", snake(c.getName())).isTrue();
        }
        JsonNode survey = today.at("/survey/properties");
        for (java.lang.reflect.RecordComponent c : org.asteriskcti.protocol.QueueStats.Survey.class.getRecordComponents()) {
            assertThat(survey.has(snake(c.getName()))).as("queueStats.today.survey.%s", snake(c.getName())).isTrue();
        }
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
