package org.asteriskcti.server.asterisk.ari;

import java.time.Instant;

/**
 * The parts of {@code GET /asterisk/info} the CTI uses.
 *
 * @param version   e.g. {@code 22.10.1}
 * @param entityId  Asterisk's entity id, the {@code asterisk_id} of every event
 * @param startupTime null when absent; a change means Asterisk restarted
 */
public record AriAsteriskInfo(String version, String entityId, Instant startupTime, Instant lastReloadTime) {}
