package org.cartltfu.hub.exchange;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.cartltfu.hub.config.HookOrder;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes transaction bundles whose conditional creates/updates name the same match URLs wait for each other, for the
 * whole request (until after commit): the second of two identical spoke pushes then finds what the first created
 * instead of racing it. HAPI's unique match-URL table does catch the race, but a transaction bundle that lost it fails
 * with 409 even when retried, because HAPI remembers within the request that the URL matched nothing.
 *
 * <p>The locks are PostgreSQL session advisory locks, one per match URL, so pushes through different server instances
 * on one database wait for each other too, and an instance that dies releases its locks with its connections. Each
 * locking request holds one connection of its own pool ({@code lockPool}, apart from the pool that stores the data, so
 * that lock holders can never take every connection their own transactions need).
 *
 * <p>Only match URLs that may still create something are locked. Once a push has committed, each of its match URLs
 * names an existing resource, and a conditional create of an existing match creates nothing, so later pushes need
 * not wait for each other on it: every spoke's bundles name the same site Organization, and locking it would make all
 * pushes run one at a time. This instance remembers such URLs ({@code resolved}, bounded); a URL whose resource is
 * deleted afterwards and then recreated by two racing pushes is still caught by the unique match-URL table (409).
 */
@Interceptor
public class IdenticalPushLocks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdenticalPushLocks.class);
    private static final String HELD = IdenticalPushLocks.class.getName() + ".held";
    private static final String KEYS = IdenticalPushLocks.class.getName() + ".keys";
    private static final int RESOLVED_MAX = 200_000;
    /** PostgreSQL's SQLSTATE for lock_not_available: the wait ran out. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final HikariDataSource lockPool;
    private final long waitMillis;
    /** Keys of match URLs a committed push has resolved (a set: the value is unused). */
    private final Cache<Long, Boolean> resolved =
            Caffeine.newBuilder().maximumSize(RESOLVED_MAX).build();

    IdenticalPushLocks(HikariDataSource lockPool, long waitMillis) {
        this.lockPool = lockPool;
        this.waitMillis = waitMillis;
    }

    /**
     * Locks on the database the hub stores into, through a pool of its own.
     *
     * @param connections the most pushes holding locks at once; more wait up to {@code wait} for a connection, then go
     *     on unlocked
     * @param wait how long a push waits for an identical one to finish (and for a lock connection)
     */
    public static IdenticalPushLocks on(HikariDataSource database, int connections, Duration wait) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("identical-push-locks");
        pool.setJdbcUrl(database.getJdbcUrl());
        pool.setUsername(database.getUsername());
        pool.setPassword(database.getPassword());
        pool.setDataSourceProperties(database.getDataSourceProperties());
        pool.setMaximumPoolSize(connections);
        // Idle lock connections are given back to PostgreSQL rather than kept open on every instance.
        pool.setMinimumIdle(0);
        pool.setConnectionTimeout(Math.max(250, wait.toMillis()));
        return new IdenticalPushLocks(pool, wait.toMillis());
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = HookOrder.IDENTICAL_PUSH_LOCKS)
    public void lock(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.TRANSACTION
                || !(request.getResource() instanceof Bundle bundle)) {
            return;
        }
        // Keys are always taken in ascending order, so two requests can never wait for each other in a cycle.
        TreeSet<Long> wanted = new TreeSet<>();
        boolean deletes = false;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            deletes |= entry.getRequest().getMethod() == Bundle.HTTPVerb.DELETE;
            String url = entry.getRequest().getUrl();
            String type = url == null ? "" : url.replaceAll("[?/].*", "");
            String conditional = entry.getRequest().hasIfNoneExist()
                    ? type + "?" + entry.getRequest().getIfNoneExist().replaceFirst("^[A-Za-z]+\\?", "")
                    : url != null && url.contains("?") ? url : null;
            if (conditional != null) {
                wanted.add(key(conditional));
            }
        }
        if (!deletes) {
            // After a bundle that deletes, a match URL may name nothing: it is never remembered as resolved.
            request.getUserData().put(KEYS, Set.copyOf(wanted));
        }
        wanted.removeIf(key -> resolved.getIfPresent(key) != null);
        if (wanted.isEmpty()) {
            return;
        }
        Connection connection;
        try {
            connection = lockPool.getConnection();
        } catch (SQLException e) {
            // No lock connection in time: go on unlocked; the unique match-URL table still prevents duplicates.
            log.warn("identical-push lock pool exhausted or unreachable ({}); going on unlocked", e.getMessage());
            return;
        }
        request.getUserData().put(HELD, connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = " + Math.max(1, waitMillis));
        } catch (SQLException e) {
            log.warn("identical-push lock connection failed ({}); going on unlocked", e.getMessage());
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
            for (long key : wanted) {
                statement.setLong(1, key);
                try {
                    statement.execute();
                } catch (SQLException e) {
                    if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                        throw e;
                    }
                    // Waited its time for this URL: goes on without it (the unique table decides, a retry resolves).
                }
            }
        } catch (SQLException e) {
            log.warn("identical-push lock failed ({}); going on with the locks taken so far", e.getMessage());
        }
    }

    /** The push committed: each of its match URLs now names a resource. */
    @Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY, order = HookOrder.IDENTICAL_PUSH_LOCKS)
    public void committed(RequestDetails request) {
        if (request.getUserData().get(KEYS) instanceof Set<?> keys) {
            keys.forEach(key -> resolved.put((Long) key, Boolean.TRUE));
        }
    }

    @Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED, order = HookOrder.IDENTICAL_PUSH_LOCKS)
    public void unlock(RequestDetails request) {
        if (!(request.getUserData().remove(HELD) instanceof Connection connection)) {
            return;
        }
        try (connection;
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock_all()");
            statement.execute("RESET lock_timeout");
        } catch (SQLException e) {
            // Never hand a connection that may still hold locks back to the pool: closing it frees them.
            log.warn("identical-push unlock failed ({}); the connection is discarded", e.getMessage());
            lockPool.evictConnection(connection);
        }
    }

    @Override
    public void close() {
        lockPool.close();
    }

    /** A 64-bit advisory-lock key for a match URL (SHA-256's first 8 bytes: the same on every instance). */
    static long key(String matchUrl) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(matchUrl.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
