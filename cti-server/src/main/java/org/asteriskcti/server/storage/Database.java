package org.asteriskcti.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.asteriskcti.server.config.CtiConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's database: a HikariCP pool, with the schema brought up to date by Flyway
 * ({@code classpath:db/migration}) before anyone uses it. PostgreSQL in production; by default an
 * embedded H2 file in the data dir, run in PostgreSQL mode so that one set of migrations serves both.
 *
 * <p>Opening fails (with a {@link StorageException} naming the URL, never the password) when the
 * database cannot be reached or migrated: the schema must be known before events are written.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** Makes H2 behave like PostgreSQL for our SQL: types, lower-case names, nulls sorted last. */
    public static final String H2_POSTGRESQL_MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    /** How long a caller (the event writer, a report) waits for a pooled connection before failing. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private final HikariDataSource dataSource;
    private final String url;

    private Database(HikariDataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    /**
     * Opens the configured database ({@code storage.url}; empty: {@link #embeddedUrl} in
     * {@code dataDir}) and migrates it.
     */
    public static Database open(CtiConfig.Storage config, Path dataDir) {
        String url = config.url();
        if (url.isEmpty()) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data dir " + dataDir + " for the embedded database", e);
            }
            url = embeddedUrl(dataDir);
        }
        return open(url, config.username(), config.password(), config.poolSize());
    }

    /**
     * The embedded database: H2 files {@code <dataDir>/cti.*}. H2's own shutdown hook is off
     * ({@code DB_CLOSE_ON_EXIT=FALSE}) so that the database stays open until {@link #close()}, after
     * the last events were written; {@code WRITE_DELAY=0} puts a committed event on disk at once (H2's
     * default keeps commits in memory for up to half a second, which a {@code kill -9} loses: seen in
     * AcdRestartIT).
     */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("cti") + H2_POSTGRESQL_MODE
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    /** Opens {@code url} with a pool of at most {@code poolSize} connections and migrates it. */
    public static Database open(String url, String username, String password, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("cti-db");
        hc.setJdbcUrl(url);
        if (!username.isEmpty()) {
            hc.setUsername(username);
        }
        if (!password.isEmpty()) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StorageException("cannot connect to the database " + redact(url) + ": " + rootMessage(e), e);
        }
        try {
            MigrateResult r = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            log.info("database {} ready: schema version {}{}", redact(url), r.targetSchemaVersion != null
                    ? r.targetSchemaVersion : r.initialSchemaVersion,
                    r.migrationsExecuted > 0 ? " (" + r.migrationsExecuted + " migrations applied now)" : "");
        } catch (RuntimeException e) {
            ds.close();
            throw new StorageException("cannot migrate the database " + redact(url) + ": " + rootMessage(e), e);
        }
        return new Database(ds, url);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL with any password in it masked, for logs. */
    public String describe() {
        return redact(url);
    }

    /** Closes the pool; close the stores writing through it first. */
    @Override
    public void close() {
        dataSource.close();
    }

    /** Masks {@code password=...} parameters (PostgreSQL query string, H2 settings) and {@code user:pass@}. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
