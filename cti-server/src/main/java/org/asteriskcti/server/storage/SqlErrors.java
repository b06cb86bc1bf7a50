package org.asteriskcti.server.storage;

import java.sql.BatchUpdateException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

/** What the stores say about a database error, and whether it is the row's fault or the database's. */
public final class SqlErrors {

    private SqlErrors() {}

    /** SQL state class 22 (data exception) or 23 (integrity constraint): this row, not the database. */
    public static boolean refusedData(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLDataException || t instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    String state = n.getSQLState();
                    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The message and SQL state; for a batch, of the statement that failed. */
    public static String describe(Throwable e) {
        if (e instanceof SQLException s) {
            SQLException shown = s instanceof BatchUpdateException && s.getNextException() != null ? s.getNextException() : s;
            return shown.getMessage() + (shown.getSQLState() != null ? " [SQL state " + shown.getSQLState() + "]" : "");
        }
        return e.toString();
    }
}
