package org.asteriskcti.server.asterisk.ami.wire;

import org.asteriskjava.manager.action.AbstractManagerAction;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.event.ResponseEvent;

/** {@code Action: BridgeList}: one {@code BridgeListItem} per bridge, then {@code BridgeListComplete}. */
public class BridgeListAction extends AbstractManagerAction implements EventGeneratingAction {
    private static final long serialVersionUID = 1L;

    @Override
    public String getAction() {
        return "BridgeList";
    }

    @Override
    public Class<? extends ResponseEvent> getActionCompleteEventClass() {
        return BridgeListCompleteEvent.class;
    }
}
