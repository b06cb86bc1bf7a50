package org.asteriskcti.server.asterisk.ari;

/**
 * A live recording as ARI shows it ({@code POST .../record} 201, {@code GET /recordings/live/{name}}).
 *
 * @param state     Asterisk's text: {@code queued}, {@code recording}, {@code paused}, {@code done}... A muted
 *                  recording still says {@code recording}: mute cannot be seen here.
 * @param targetUri e.g. {@code bridge:acd-11-mix-1}
 */
public record AriLiveRecording(String name, String format, String state, String targetUri) {}
