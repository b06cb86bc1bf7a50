package org.asteriskcti.server.asterisk.ami.wire;

import org.asteriskjava.manager.event.AbstractMixMonitorEvent;

/** {@code Event: MixMonitorMute} (call class): {@code State: 1} muted, {@code 0} unmuted; {@code Direction: read|write|both}. */
public class MixMonitorMuteEvent extends AbstractMixMonitorEvent {
    private static final long serialVersionUID = 1L;

    private String direction;
    private String state;

    public MixMonitorMuteEvent(Object source) {
        super(source);
    }

    public String getDirection() {
        return direction;
    }

    public void setDirection(String direction) {
        this.direction = direction;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }
}
