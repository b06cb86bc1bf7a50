package org.asteriskcti.server.asterisk.ari;

import java.io.InputStream;
import java.util.OptionalLong;

/**
 * A stored recording's file as Asterisk sends it ({@code GET /recordings/stored/{name}/file}): the body
 * to read (and close), its length when Asterisk said, and its type (ari-11: {@code audio/wav}).
 */
public record AriStoredFile(InputStream body, OptionalLong length, String contentType) {}
