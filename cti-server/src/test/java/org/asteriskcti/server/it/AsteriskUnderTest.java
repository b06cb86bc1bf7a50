package org.asteriskcti.server.it;

/**
 * A real Asterisk 22 running asterisk-config/ on 127.0.0.1 with the ports of that configuration
 * (AMI 5038, HTTP/ARI 8088, SIP 5060/udp). Either a local install ({@link AsteriskProcess}) or a
 * container ({@link AsteriskContainer}).
 */
interface AsteriskUnderTest extends AutoCloseable {

    String HOST = "127.0.0.1";
    int AMI_PORT = 5038;
    int HTTP_PORT = 8088;
    int SIP_PORT = 5060;
    String AMI_USER = "cti";
    String AMI_SECRET = "cti-secret";
    String ARI_USER = "cti";
    String ARI_PASSWORD = "cti-secret";
    String ARI_APP = "cti";

    /** Starts Asterisk and returns once it is fully booted and AMI accepts connections. */
    void start();

    /** Stops Asterisk ({@code core stop now}); returns once it is gone and its ports are free. */
    void stop();

    /**
     * Kills Asterisk without letting it shut down (SIGKILL, as in a crash): no channel is hung up, no
     * event is sent, connections just drop. Returns once it is gone and its ports are free.
     */
    void crash();

    /** {@link #stop()} then {@link #start()}: every AMI/ARI connection drops, every call is gone. */
    default void restart() {
        stop();
        start();
    }

    boolean isRunning();

    /** Runs a CLI command ({@code asterisk -rx}) and returns its output; fails on a non-zero exit. */
    String rx(String command);

    /** The last lines of Asterisk's console output, for failure messages. */
    String logTail(int lines);

    /** One line saying what this is (binary, directory or image) for logs. */
    String describe();

    @Override
    void close();
}
