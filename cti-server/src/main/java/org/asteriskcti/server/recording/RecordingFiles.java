package org.asteriskcti.server.recording;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Reading a stored recording's audio, as a stream: never the whole file in memory (an hour of 8 kHz
 * 16-bit WAV is 57 MB). Implemented at the edge over ARI ({@code GET /recordings/stored/{name}/file}).
 */
public interface RecordingFiles {

    /**
     * Opens the stored recording {@code name}; completes once Asterisk answered with the headers, the body
     * then streams from {@link Audio#body()}. Fails with a {@link RecordingException}: {@code AUDIO_MISSING}
     * when Asterisk has no such file, {@code ASTERISK_FAILED} when it refused or did not answer.
     */
    CompletableFuture<Audio> open(String name);

    /**
     * An open audio stream; the reader must close it (that also ends the request to Asterisk).
     *
     * @param length      bytes, when Asterisk said (Content-Length)
     * @param contentType e.g. {@code audio/wav}
     */
    record Audio(InputStream body, OptionalLong length, String contentType) implements Closeable {
        public Audio {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(contentType, "contentType");
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** For a server without ARI: no file can be read. */
    RecordingFiles UNAVAILABLE = name -> CompletableFuture.failedFuture(new RecordingException(
            RecordingError.ASTERISK_FAILED, "ARI is disabled (asterisk.ari.enabled=false): cannot read recordings"));
}
