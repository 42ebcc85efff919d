package org.cartltfu.hub.config;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.hibernate.exception.JDBCConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * A request that failed because PostgreSQL or the search cluster was away (restarting, failing over, unreachable) is
 * answered 503 with {@code Retry-After}, not 500: nothing was stored (the transaction rolled back), and the same
 * request sent again once the backend is back succeeds. Pushes are conditional, so a resend is safe.
 */
@Interceptor
public class BackendUnavailable {

    private static final Logger log = LoggerFactory.getLogger(BackendUnavailable.class);

    /** Connection exceptions (08…), and the server shutting down or starting up (57P01–57P03). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    /** A PostgreSQL restart or a failover takes seconds; clients that wait this long mostly succeed the next time. */
    static final int RETRY_AFTER_SECONDS = 5;

    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = HookOrder.BACKEND_UNAVAILABLE)
    public BaseServerResponseException translate(RequestDetails request, Throwable exception) {
        String backend = unavailable(exception);
        if (backend == null) {
            return null;
        }
        log.warn(
                "{} {}: {} unavailable ({}); answered 503",
                request.getRequestType(),
                request.getRequestPath(),
                backend,
                exception.toString());
        UnclassifiedServerFailureException answer = new UnclassifiedServerFailureException(
                503,
                "The hub's " + backend + " is unavailable for a moment; nothing was stored. Send the request again"
                        + " after " + RETRY_AFTER_SECONDS + " seconds.");
        answer.addResponseHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        return answer;
    }

    /** "database" or "search index" when that is what the exception comes from, else null. */
    static String unavailable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof JDBCConnectionException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof SQLTransientConnectionException
                    || closedPooledConnection(cause)) {
                return "database";
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return "database";
            }
            if (cause instanceof ConnectException && searchClient(exception)) {
                return "search index";
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
