package org.asteriskcti.server.asterisk;

public enum TransferKind {
    BLIND,
    ATTENDED
}
