package org.asteriskcti.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.asteriskcti.protocol.Json;

/** A client connection that records frames; writability is set by the test. */
final class FakeConnection implements ClientConnection {
    private static final ObjectMapper JSON = Json.mapper();
    final List<String> sent = new ArrayList<>();
    boolean writable = true;
    Integer closeCode;
    String closeReason;

    @Override
    public boolean isWritable() {
        return writable && closeCode == null;
    }

    @Override
    public void send(String text) {
        if (closeCode == null) {
            sent.add(text);
        }
    }

    @Override
    public void sendStream(long seq, StreamBody body) {
        send(body.text(seq));
    }

    @Override
    public void close(int code, String reason) {
        if (closeCode == null) {
            closeCode = code;
            closeReason = reason;
        }
    }

    @Override
    public String remoteAddress() {
        return "fake";
    }

    List<JsonNode> frames() {
        List<JsonNode> out = new ArrayList<>();
        for (String s : sent) {
            try {
                out.add(JSON.readTree(s));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    List<Long> seqs() {
        List<Long> out = new ArrayList<>();
        for (JsonNode n : frames()) {
            if (n.has("seq")) {
                out.add(n.get("seq").asLong());
            }
        }
        return out;
    }

    JsonNode first(String type) {
        return frames().stream().filter(f -> type.equals(f.path("type").asText())).findFirst().orElseThrow();
    }

    JsonNode last() {
        List<JsonNode> f = frames();
        return f.get(f.size() - 1);
    }
}
