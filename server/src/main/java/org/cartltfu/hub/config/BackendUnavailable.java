package org.cartltfu.hub.config;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.util.QueryParameterUtils;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.hibernate.exception.JDBCConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * A request that failed because PostgreSQL or the search cluster was away (restarting, failing over, unreachable) is
 * answered 503 with {@code Retry-After}, not 500: a write's transaction rolled back, and the same request sent again
 * once the backend is back succeeds. Pushes are conditional, so a resend is safe. (Writes do not wait for the search
 * cluster: a document it could not take is written later, see {@link SearchIndexRepair}.)
 */
@Interceptor
public class BackendUnavailable {

    private static final Logger log = LoggerFactory.getLogger(BackendUnavailable.class);

    /** Connection exceptions (08…), and the server shutting down or starting up (57P01–57P03). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    /** A PostgreSQL restart or a failover takes seconds; clients that wait this long mostly succeed the next time. */
    static final int RETRY_AFTER_SECONDS = 5;

    static final String DATABASE = "database";
    static final String SEARCH_INDEX = "search index";

    private final BooleanSupplier searchIndexReachable;

    /** @param searchIndexReachable whether the search index answers now (asked only after a search failed) */
    public BackendUnavailable(BooleanSupplier searchIndexReachable) {
        this.searchIndexReachable = searchIndexReachable;
    }

    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = HookOrder.BACKEND_UNAVAILABLE)
    public BaseServerResponseException translate(RequestDetails request, Throwable exception) {
        String backend = unavailable(exception);
        if (backend == null && failedSearch(exception) && !searchIndexReachable.getAsBoolean()) {
            backend = SEARCH_INDEX;
        }
        if (backend == null) {
            return null;
        }
        log.warn(
                "{} {}: {} unavailable ({}); answered 503",
                request.getRequestType(),
                request.getRequestPath(),
                backend,
                exception.toString());
        boolean rolledBack = DATABASE.equals(backend)
                && !"GET".equals(request.getRequestType().name());
        UnclassifiedServerFailureException answer = new UnclassifiedServerFailureException(
                503,
                "The hub's " + backend + " is unavailable for a moment" + (rolledBack ? "; nothing was stored" : "")
                        + ". Send the request again after " + RETRY_AFTER_SECONDS + " seconds.");
        answer.addResponseHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        return answer;
    }

    /**
     * HAPI runs a search in a background task and, when it fails, throws a new exception carrying only the message:
     * what failed is known from where it was thrown.
     */
    static boolean failedSearch(Throwable exception) {
        if (!(exception instanceof InternalErrorException) || exception.getCause() != null) {
            return false;
        }
        for (StackTraceElement frame : exception.getStackTrace()) {
            if (frame.getClassName().equals(QueryParameterUtils.class.getName())
                    && frame.getMethodName().startsWith("verifySearchHasntFailed")) {
                return true;
            }
        }
        return false;
    }

    /** "database" or "search index" when that is what the exception comes from, else null. */
    static String unavailable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof JDBCConnectionException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof SQLTransientConnectionException
                    || closedPooledConnection(cause)) {
                return DATABASE;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return DATABASE;
            }
            if (cause instanceof ConnectException && searchClient(exception)) {
                return SEARCH_INDEX;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /**
     * The pool's "Connection is closed": the connection broke under the transaction (PostgreSQL restarted), and its
     * rollback failed. Spring then throws the rollback's exception, not the first one, so this is all that is left.
     */
    private static boolean closedPooledConnection(Throwable cause) {
        StackTraceElement[] trace = cause.getStackTrace();
        return cause instanceof SQLException
                && trace.length > 0
                && trace[0].getClassName().startsWith("com.zaxxer.hikari.pool.ProxyConnection");
    }

    private static boolean searchClient(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getName().startsWith("org.hibernate.search.")) {
                return true;
            }
        }
        return false;
    }
}
