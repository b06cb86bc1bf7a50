/**
 * asterisk-java classes for AMI messages that asterisk-java 3.42.2 does not know (it drops unknown
 * event types and has no BridgeList / BlindTransfer actions). They are public only because
 * asterisk-java builds and reads them by reflection; nothing outside the AMI edge uses them.
 */
package org.asteriskcti.server.asterisk.ami.wire;
