package org.asteriskcti.server;

/** One connection to Asterisk (the AMI connector, the ARI events connector): started once, closed at shutdown. */
public interface AsteriskEdge extends AutoCloseable {

    /** Starts connecting in the background; never blocks on Asterisk. */
    void start();

    @Override
    void close();
}
