package org.asteriskcti.server.storage;

import static org.asteriskcti.server.storage.SqlErrors.describe;
import static org.asteriskcti.server.storage.SqlErrors.refusedData;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;

/**
 * A {@link BatchWriter} sink's transaction: the whole batch in one transaction, or, when the database refuses
 * the data of one of its items (SQL state class 22/23), item by item, so that one bad item is logged and
 * dropped and the others are stored. Any other failure is thrown: nothing more is marked finished and the
 * writer retries from there.
 */
public final class OneByOneOnRefusal {

    /** Writes {@code items} on {@code c}, inside the transaction this class opens and commits. */
    @FunctionalInterface
    public interface Write<T> {
        void write(Connection c, List<T> items) throws SQLException;
    }

    private OneByOneOnRefusal() {}

    /**
     * @param store what the log lines name ("call history store")
     * @param item  one item, as the log lines name it ("entry")
     * @throws SQLException the database failed for another reason than the data
     */
    public static <T> void store(DataSource dataSource, List<T> batch, BatchWriter.Progress done, Write<T> write,
            Logger log, String store, String item) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                write.write(c, batch);
                c.commit();
                done.finished(batch.size());
                return;
            } catch (SQLException e) {
                rollback(c, log);
                if (!refusedData(e)) {
                    throw e;
                }
                log.warn("{}: the database refused one {} of a batch of {} ({}); storing them one by one", store, item,
                        batch.size(), describe(e));
            }
            for (T t : batch) {
                try {
                    write.write(c, List.of(t));
                    c.commit();
                } catch (SQLException e) {
                    rollback(c, log);
                    if (!refusedData(e)) {
                        throw e;
                    }
                    log.warn("{}: {} NOT stored, refused ({}): {}", store, item, describe(e), t);
                }
                done.finished(1);
            }
        }
    }

    /** Rolls back, a failure of which only matters at debug level (the connection is closed right after). */
    public static void rollback(Connection c, Logger log) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed", e);
        }
    }
}
