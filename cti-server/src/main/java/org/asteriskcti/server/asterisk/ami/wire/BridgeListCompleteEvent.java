package org.asteriskcti.server.asterisk.ami.wire;

import org.asteriskjava.manager.event.ResponseEvent;

/** {@code Event: BridgeListComplete}: the end of a BridgeList answer. */
public class BridgeListCompleteEvent extends ResponseEvent {
    private static final long serialVersionUID = 1L;

    private String eventList;
    private Integer listItems;

    public BridgeListCompleteEvent(Object source) {
        super(source);
    }

    public String getEventList() {
        return eventList;
    }

    public void setEventList(String eventList) {
        this.eventList = eventList;
    }

    public Integer getListItems() {
        return listItems;
    }

    public void setListItems(Integer listItems) {
        this.listItems = listItems;
    }
}
