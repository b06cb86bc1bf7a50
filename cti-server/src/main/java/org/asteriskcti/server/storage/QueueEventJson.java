package org.asteriskcti.server.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.OverflowTarget;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * The stored form of a {@link QueueEvent}: a type name (the record's simple name) and a JSON object
 * with every field of the record, exact:
 * <ul>
 *   <li>instants as ISO-8601 UTC with all their digits ({@code "2026-11-23T09:00:04.123456789Z"});</li>
 *   <li>durations as ISO-8601 ({@code "PT4.999S"});</li>
 *   <li>ids and not-ready reasons as plain strings, enums by name, absent values as {@code null};</li>
 *   <li>an overflow target as {@code {"queue": id}}, {@code {"voicemail": box}} or
 *       {@code {"message": sound}}, as in the configuration.</li>
 * </ul>
 * Reading is strict (a missing or unknown field — except {@code Entered.did}, added later, which old rows
 * lack and which reads as null —, a wrong type or a bad value fails) so a stored
 * event never comes back different from what was written. Rows already stored must stay readable:
 * renaming a record or one of its fields needs a migration of the stored payloads.
 */
public final class QueueEventJson {

    private static final Map<String, Class<? extends QueueEvent>> TYPES;

    static {
        Map<String, Class<? extends QueueEvent>> t = new LinkedHashMap<>();
        t.put("Entered", QueueEvent.Entered.class);
        t.put("Offered", QueueEvent.Offered.class);
        t.put("OfferEnded", QueueEvent.OfferEnded.class);
        t.put("Answered", QueueEvent.Answered.class);
        t.put("Abandoned", QueueEvent.Abandoned.class);
        t.put("Overflowed", QueueEvent.Overflowed.class);
        t.put("CallbackRequested", QueueEvent.CallbackRequested.class);
        t.put("CallbackDialled", QueueEvent.CallbackDialled.class);
        t.put("Completed", QueueEvent.Completed.class);
        t.put("AgentStateInterval", QueueEvent.AgentStateInterval.class);
        t.put("SurveyEnded", QueueEvent.SurveyEnded.class);
        t.put("Transferred", QueueEvent.Transferred.class);
        TYPES = Collections.unmodifiableMap(t);
    }

    private final ObjectMapper mapper;

    public QueueEventJson() {
        SimpleModule ids = new SimpleModule("cti-queue-events");
        text(ids, AgentId.class, AgentId::value, AgentId::of);
        text(ids, QueueId.class, QueueId::value, QueueId::of);
        text(ids, TenantId.class, TenantId::value, TenantId::of);
        text(ids, ChannelId.class, ChannelId::value, ChannelId::of);
        text(ids, EntryId.class, EntryId::value, EntryId::of);
        text(ids, NotReadyReason.class, NotReadyReason::code, NotReadyReason::of);
        ids.addSerializer(OverflowTarget.class, new OverflowTargetSerializer());
        ids.addDeserializer(OverflowTarget.class, new OverflowTargetDeserializer());
        this.mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(ids)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Every type name, in a fixed order. */
    public static Map<String, Class<? extends QueueEvent>> types() {
        return TYPES;
    }

    /** The type name stored with {@code event}. */
    public static String typeOf(QueueEvent event) {
        String name = event.getClass().getSimpleName();
        if (TYPES.get(name) != event.getClass()) {
            throw new IllegalArgumentException("no stored type name for " + event.getClass().getName());
        }
        return name;
    }

    /** The JSON of every field of {@code event}. */
    public String write(QueueEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + event + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The event stored as {@code type} and {@code payload}; IllegalArgumentException saying why when it cannot be. */
    public QueueEvent read(String type, String payload) {
        Class<? extends QueueEvent> c = TYPES.get(type);
        if (c == null) {
            throw new IllegalArgumentException("unknown queue event type '" + type + "'");
        }
        try {
            if (c == QueueEvent.Entered.class) {
                // Entered rows stored before the did field existed have none: read as null (no DID known).
                JsonNode n = mapper.readTree(payload);
                if (n instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.has("did")) {
                    o.putNull("did");
                }
                return mapper.treeToValue(n, c);
            }
            return mapper.readValue(payload, c);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid " + type + ": " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid " + type + ": " + e.getMessage(), e);
        }
    }

    /** The mapper, for wrapping stored events in other JSON documents (the spill file). */
    ObjectMapper mapper() {
        return mapper;
    }

    // ---- field types --------------------------------------------------------------------------

    /** A single-string value type ({@code AgentId}...) written as a bare JSON string. */
    private static <T> void text(SimpleModule m, Class<T> type, Function<T, String> out, Function<String, T> in) {
        m.addSerializer(type, new StdSerializer<>(type) {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(out.apply(value));
            }
        });
        m.addDeserializer(type, new StdDeserializer<>(type) {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    @SuppressWarnings("unchecked")
                    T unexpected = (T) ctxt.handleUnexpectedToken(type, p);
                    return unexpected;
                }
                String s = p.getText();
                try {
                    return in.apply(s);
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw ctxt.weirdStringException(s, type, e.getMessage());
                }
            }
        });
    }

    private static final class OverflowTargetSerializer extends StdSerializer<OverflowTarget> {
        OverflowTargetSerializer() {
            super(OverflowTarget.class);
        }

        @Override
        public void serialize(OverflowTarget value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            if (value instanceof OverflowTarget.ToQueue q) {
                gen.writeStringField("queue", q.queue().value());
            } else if (value instanceof OverflowTarget.ToVoicemail v) {
                gen.writeStringField("voicemail", v.mailbox());
            } else if (value instanceof OverflowTarget.HangupWithMessage h) {
                gen.writeStringField("message", h.prompt());
            } else {
                throw new IllegalArgumentException("unknown overflow target " + value);
            }
            gen.writeEndObject();
        }
    }

    private static final class OverflowTargetDeserializer extends StdDeserializer<OverflowTarget> {
        OverflowTargetDeserializer() {
            super(OverflowTarget.class);
        }

        @Override
        public OverflowTarget deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode n = ctxt.readTree(p);
            if (n == null || !n.isObject() || n.size() != 1) {
                throw ctxt.weirdNativeValueException(n, OverflowTarget.class);
            }
            String kind = n.fieldNames().next();
            JsonNode v = n.get(kind);
            if (!v.isTextual()) {
                throw ctxt.weirdNativeValueException(n, OverflowTarget.class);
            }
            try {
                return switch (kind) {
                    case "queue" -> new OverflowTarget.ToQueue(QueueId.of(v.textValue()));
                    case "voicemail" -> new OverflowTarget.ToVoicemail(v.textValue());
                    case "message" -> new OverflowTarget.HangupWithMessage(v.textValue());
                    default -> throw ctxt.weirdNativeValueException(n, OverflowTarget.class);
                };
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(v.textValue(), OverflowTarget.class, e.getMessage());
            }
        }
    }
}
