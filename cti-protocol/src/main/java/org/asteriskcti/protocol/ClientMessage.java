package org.asteriskcti.protocol;

import java.util.List;

/**
 * A client -> server message. {@code id} is the client's request id, echoed in the reply or error.
 * Shapes: {@code {"type":"subscribe","id":"1","topics":["calls"]}},
 * {@code {"type":"unsubscribe","id":"2","topics":["calls"]}}, {@code {"type":"ping","id":"3"}}.
 */
public record ClientMessage(String type, String id, List<String> topics) {}
