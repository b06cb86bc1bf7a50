package org.asteriskcti.server.ivr;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;

/**
 * What an {@link IvrSession} asks of the world, one port per call, called on the domain loop.
 * Implementations must not block and must not call back into the session synchronously: results
 * come back as session inputs on the loop ({@link IvrSession#promptFinished}, {@link IvrSession#digit},
 * {@link IvrSession#hungUp}; a lookup by completing its future).
 *
 * <p>After one of the hand-over methods (or {@link #hangup}) the session is finished and calls nothing more.
 */
public interface IvrPort {

    /**
     * Play these prompts, in order, in {@code language}; report the end with
     * {@code promptFinished(playback)} (also when stopped). {@code playback} numbers this call's
     * playbacks, so a late end of a stopped one is told apart.
     */
    void play(long playback, List<Prompt> prompts, String language);

    /** Stop a playback (barge-in: the caller pressed a key during it). */
    void stopPlayback(long playback);

    /**
     * GET {@code url} with {@code params} as query parameters; complete with the fields of the JSON
     * object answered, or exceptionally (timeout, status not 200, not a JSON object). The session runs
     * its own timer too and takes the failure branch at {@code timeout} whatever the future does.
     */
    CompletableFuture<Map<String, String>> lookup(URI url, Map<String, String> params, Duration timeout);

    /** The caller's position changed: keep {@link IvrPosition#encode()} on the channel (crash safety). */
    void positionChanged(IvrPosition position);

    // ---- hand-overs: the caller leaves the flow -------------------------------------------------------

    /** Into our ACD's queue; {@code language} is the caller's (agents must speak it), {@code skills} added. */
    void toQueue(QueueId queue, Map<String, Integer> skills, int priority, String language, CallData data);

    /** To {@code agent}: waiting in {@code queue} for them alone when given (see {@link Node.ToAgent}), else dialled. */
    void toAgent(AgentId agent, java.util.Optional<QueueId> queue, String language, CallData data);

    void toExtension(String extension, CallData data);

    void toExternal(String number, CallData data);

    void toVoicemail(String mailbox, CallData data);

    void hangup(CallData data);
}
