package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.asteriskcti.protocol.Json;

/** The REST side of the API socket tests: log in (password "pw") and send requests with a token. */
final class RestClient {

    private static final ObjectMapper JSON = Json.mapper();

    record Answer(int status, JsonNode body) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    /** @param base host:port of the server under test */
    RestClient(String base) {
        this.base = base;
    }

    /** The token of {@code user}, whose password is "pw". */
    String login(String user) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/api/v1/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"pw\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).get("token").asText();
    }

    /** {@code method path} with the token and an optional JSON body; the status and the parsed answer. */
    Answer send(String method, String path, String token, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }
}
