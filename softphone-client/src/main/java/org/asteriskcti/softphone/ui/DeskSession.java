package org.asteriskcti.softphone.ui;

import org.asteriskcti.protocol.UserInfo;
import org.asteriskcti.softphone.cti.DeskCommands;
import org.asteriskcti.softphone.cti.DeskModel;

/**
 * A signed-in desk: who, the live model and where commands go.
 *
 * @param signOut closes the link (the stream and its reconnects)
 */
public record DeskSession(UserInfo user, DeskModel model, DeskCommands commands, Runnable signOut) {}
