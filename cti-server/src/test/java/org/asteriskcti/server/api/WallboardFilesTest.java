package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wallboard's static files at /wallboard/ over a real socket, requests written byte for byte (no
 * client normalises the path for us): types, caching, security headers, and that nothing outside the
 * wallboard's folder can be reached.
 */
class WallboardFilesTest {

    @TempDir
    static Path dir;

    private static WallboardServer server;

    @BeforeAll
    static void start() throws Exception {
        server = WallboardServer.start(dir, WallboardServer.users(), WallboardServer.freePort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One request exactly as written, on its own connection. */
    private static Raw raw(String method, String target, String... extraHeaders) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port)) {
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (String h : extraHeaders) {
                req.append(h).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    @Test
    void givenTheWallboardFolder_whenItsIndexIsAsked_thenHtmlWithRevalidationAndASameOriginPolicy() throws Exception {
        Raw r = raw("GET", "/wallboard/");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.body()).contains("<title>CTI wallboard</title>").contains("src=\"app.js\"");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.header("ETag")).matches("\"[0-9a-f]{32}\"");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Content-Security-Policy")).contains("default-src 'none'").contains("connect-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("http");
        assertThat(raw("GET", "/wallboard/index.html").body()).isEqualTo(r.body());
    }

    @Test
    void givenTheWallboardsFiles_thenEachWithItsContentType_andNoExternalUrlInAny() throws Exception {
        Map<String, String> types = Map.of("app.js", "text/javascript; charset=utf-8", "live.js", "text/javascript; charset=utf-8",
                "stream.js", "text/javascript; charset=utf-8", "report.js", "text/javascript; charset=utf-8",
                "util.js", "text/javascript; charset=utf-8", "style.css", "text/css; charset=utf-8",
                "index.html", "text/html; charset=utf-8");
        for (Map.Entry<String, String> e : types.entrySet()) {
            Raw r = raw("GET", "/wallboard/" + e.getKey());
            assertThat(r.status()).as(e.getKey()).isEqualTo(200);
            assertThat(r.header("Content-Type")).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(Integer.parseInt(r.header("Content-Length"))).as(e.getKey())
                    .isEqualTo(r.body().getBytes(StandardCharsets.UTF_8).length);
            // offline machines: no CDN, no font service, nothing but this server (the SVG namespace is a name, not a fetch)
            assertThat(r.body().replace("http://www.w3.org/2000/svg", "")).as(e.getKey())
                    .doesNotContainPattern("(?i)https?://").doesNotContain("//cdn");
        }
    }

    @Test
    void givenAnUnchangedFile_whenRevalidatedWithItsETag_then304WithoutBody() throws Exception {
        String etag = raw("GET", "/wallboard/app.js").header("ETag");

        Raw r = raw("GET", "/wallboard/app.js", "If-None-Match: " + etag);

        assertThat(r.status()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("ETag")).isEqualTo(etag);
        assertThat(raw("GET", "/wallboard/app.js", "If-None-Match: \"other\"").status()).isEqualTo(200);
    }

    @Test
    void givenTheFolderWithoutItsSlash_thenRedirectedToIt_andHeadWorks_andPostIsRefused() throws Exception {
        Raw redirect = raw("GET", "/wallboard");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("/wallboard/");

        Raw head = raw("HEAD", "/wallboard/style.css");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(head.body()).isEmpty();

        Raw post = raw("POST", "/wallboard/", "Content-Length: 0");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET");
    }

    /**
     * cti-defaults.yaml and the server's classes sit on the same classpath, one folder up from
     * wallboard/: none of these may reach them (or anything else).
     */
    @ParameterizedTest
    @ValueSource(strings = {"/wallboard/../cti-defaults.yaml", "/wallboard/..%2fcti-defaults.yaml",
            "/wallboard/%2e%2e/cti-defaults.yaml", "/wallboard/%2e%2e%2fcti-defaults.yaml", "/wallboard/..%5ccti-defaults.yaml",
            "/wallboard/..\\cti-defaults.yaml", "/wallboard/./index.html", "/wallboard//index.html",
            "/wallboard/../org/asteriskcti/server/api/HttpHandler.class", "/wallboard/%252e%252e/cti-defaults.yaml",
            "/wallboard/index.html%00.js", "/wallboard/nothing.js", "/wallboard/../api/v1/me", "/wallboard/.env.js"})
    void givenAPathLeavingTheFolderOrNamingNoFile_thenNotFoundAndNothingOfTheServer(String target) throws Exception {
        Raw r = raw("GET", target);

        assertThat(r.status()).as(target).isEqualTo(404);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.body()).contains("http.not_found").doesNotContain("asterisk:").doesNotContain("client-api")
                .doesNotContain("CTI wallboard");
    }
}
