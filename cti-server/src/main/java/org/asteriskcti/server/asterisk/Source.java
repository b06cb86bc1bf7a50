package org.asteriskcti.server.asterisk;

/** Which Asterisk interface an event or command belongs to. */
public enum Source {
    AMI,
    ARI
}
