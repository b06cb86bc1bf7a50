package org.asteriskcti.server.asterisk.ari;

/**
 * The answer to {@code POST /channels|bridges/{id}/play} (201).
 *
 * @param targetUri e.g. {@code channel:1795424151.45}
 * @param state     Asterisk's text: {@code queued} right after the call, then {@code playing}, {@code done}...
 */
public record AriPlayback(String id, String mediaUri, String targetUri, String language, String state) {}
