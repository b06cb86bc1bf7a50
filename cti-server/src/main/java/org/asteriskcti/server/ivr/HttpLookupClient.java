package org.asteriskcti.server.ivr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The HTTP lookup of {@link IvrPort#lookup}, on the JDK's HttpClient: a GET with the parameters in
 * the query string, answered by a JSON object whose fields become the result (text values as they
 * are; numbers and booleans as their JSON text; objects and arrays as their JSON). Never blocks: the
 * future completes on the client's threads, exceptionally with a {@link LookupFailedException} on a
 * timeout, a status other than 200, or a body that is not a JSON object.
 */
public final class HttpLookupClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    public HttpLookupClient(HttpClient http) {
        this.http = http;
    }

    public static HttpLookupClient withDefaults() {
        return new HttpLookupClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    }

    public CompletableFuture<Map<String, String>> lookup(URI url, Map<String, String> params, Duration timeout) {
        URI full = withQuery(url, params);
        HttpRequest request = HttpRequest.newBuilder(full).timeout(timeout).header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        String what = cause instanceof HttpTimeoutException ? "timed out after " + timeout.toMillis() + " ms" : cause.toString();
                        throw new LookupFailedException("GET " + url + ": " + what, cause);
                    }
                    if (response.statusCode() != 200) {
                        throw new LookupFailedException("GET " + url + ": HTTP " + response.statusCode());
                    }
                    return fields(url, response.body());
                });
    }

    private static Map<String, String> fields(URI url, String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new LookupFailedException("GET " + url + ": the answer is not JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new LookupFailedException("GET " + url + ": the answer is not a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            if (!v.isNull()) {
                out.put(f.getKey(), v.isValueNode() ? v.asText() : v.toString());
            }
        });
        return out;
    }

    static URI withQuery(URI url, Map<String, String> params) {
        if (params.isEmpty()) {
            return url;
        }
        String query = params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        String s = url.toString();
        return URI.create(s + (url.getRawQuery() == null ? "?" : "&") + query);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
