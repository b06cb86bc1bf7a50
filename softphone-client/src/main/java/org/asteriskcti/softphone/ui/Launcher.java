package org.asteriskcti.softphone.ui;

import javafx.application.Application;

/**
 * Entry point of the runnable jar. A plain class (not an Application) so the JavaFX jars on the class path are
 * enough. Options: {@code --server=http://cti:8080 --user=alice}, and for the built-in SIP phone
 * {@code --sip-server=127.0.0.1:5060 --sip-user=1001 [--sip-password=…] --sip-local-port=5071 --sip-register=false
 * [--sip-local-address=127.0.0.1] [--sip-microphone=default|silence|<device>] [--sip-speaker=default|none|<device>]
 * [--auto-answer]} (see {@link org.asteriskcti.softphone.phone.SipOptions}), which prefill the sign-in form.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        Application.launch(DeskApp.class, args);
    }
}
