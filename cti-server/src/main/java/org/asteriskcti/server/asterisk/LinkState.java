package org.asteriskcti.server.asterisk;

/** State of one edge's connection to Asterisk. */
public enum LinkState {
    UP,
    DOWN
}
