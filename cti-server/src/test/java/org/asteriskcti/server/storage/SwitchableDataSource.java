package org.asteriskcti.server.storage;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A data source a test can take down and bring back; it remembers which threads asked it for connections. */
final class SwitchableDataSource implements DataSource {

    private final DataSource delegate;
    private volatile boolean down;
    final AtomicInteger refusedConnections = new AtomicInteger();
    final Set<String> threads = ConcurrentHashMap.newKeySet();

    SwitchableDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    void down() {
        down = true;
    }

    void up() {
        down = false;
    }

    @Override
    public Connection getConnection() throws SQLException {
        threads.add(Thread.currentThread().getName());
        if (down) {
            refusedConnections.incrementAndGet();
            throw new SQLTransientConnectionException("test: the database is unreachable", "08001");
        }
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
