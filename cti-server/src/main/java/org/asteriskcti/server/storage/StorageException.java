package org.asteriskcti.server.storage;

/** The database cannot be opened, migrated or read. Messages name the URL, never a password. */
public final class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
