package org.asteriskcti.server.asterisk.ari;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.recording.RecordingError;
import org.asteriskcti.server.recording.RecordingException;
import org.asteriskcti.server.recording.RecordingFiles;

/** {@link RecordingFiles} over ARI: {@code GET /recordings/stored/{name}/file}, streamed. Translation only. */
public final class AriRecordingFiles implements RecordingFiles {

    private final AriClient client;

    public AriRecordingFiles(AriClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<Audio> open(String name) {
        return client.storedRecordingFile(name).handle((f, err) -> {
            if (err == null) {
                return new Audio(f.body(), f.length(), f.contentType());
            }
            AriException e = AriException.unwrap(err);
            if (e != null && e.kind() == AriException.Kind.NOT_FOUND) {
                throw new RecordingException(RecordingError.AUDIO_MISSING, "Asterisk has no stored recording " + name,
                        Map.of());
            }
            throw new RecordingException(RecordingError.ASTERISK_FAILED, "Asterisk did not send the recording: "
                    + (e != null ? e.getMessage() : String.valueOf(err)), Map.of());
        });
    }
}
