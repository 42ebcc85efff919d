package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.jpa.entity.Search;
import ca.uhn.fhir.jpa.model.search.SearchStatusEnum;
import ca.uhn.fhir.jpa.util.QueryParameterUtils;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.search.util.common.SearchException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures are the backend's absence (503, send again) and which stay what they were. */
class BackendUnavailableTest {

    @Test
    void theDatabaseAwayIsA503WithRetryAfter() {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setRequestType(RequestTypeEnum.POST);
        request.setRequestPath("");
        // PostgreSQL restarted under a transaction: "terminating connection due to administrator command".
        Throwable restarted = new InternalErrorException(new JDBCConnectionException(
                "could not execute statement", new SQLException("terminating connection", "57P01")));
        BaseServerResponseException answer = new BackendUnavailable(() -> true).translate(request, restarted);
        assertEquals(503, answer.getStatusCode());
        assertEquals(
                List.of(String.valueOf(BackendUnavailable.RETRY_AFTER_SECONDS)),
                answer.getResponseHeaders().get("Retry-After"));
        assertEquals("database", BackendUnavailable.unavailable(restarted));
    }

    @Test
    void eachFormOfTheDatabaseAway() {
        assertEquals(
                "database",
                BackendUnavailable.unavailable(new CannotCreateTransactionException(
                        "Could not open JPA EntityManager", new SQLException("Connection refused", "08001"))));
        assertEquals(
                "database",
                BackendUnavailable.unavailable(new RuntimeException(
                        new SQLTransientConnectionException("HikariPool-1 - Connection is not available"))));
        assertEquals(
                "database",
                BackendUnavailable.unavailable(
                        new RuntimeException(new SQLException("the database system is starting up", "57P03"))));
    }

    @Test
    void aRollbackOnTheBrokenConnectionIsTheDatabaseAwayToo() {
        // What Spring throws when the rollback after PostgreSQL's restart fails (the first exception is gone).
        SQLException closed = new SQLException("Connection is closed");
        closed.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(
                    "com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection",
                    "lambda$getClosedConnection$0",
                    "ProxyConnection.java",
                    562)
        });
        assertEquals(
                "database",
                BackendUnavailable.unavailable(new InternalErrorException(
                        new org.springframework.orm.jpa.JpaSystemException(new org.hibernate.TransactionException(
                                "Unable to rollback against JDBC Connection", closed)))));
        assertNull(BackendUnavailable.unavailable(new SQLException("Connection is closed")));
    }

    @Test
    void theSearchClusterAwayIsNamedAsSuch() {
        assertEquals(
                "search index",
                BackendUnavailable.unavailable(new InternalErrorException(new SearchException(
                        "HSEARCH400007: Elasticsearch request failed", new ConnectException("Connection refused")))));
    }

    @Test
    void aBackgroundSearchThatFailedWhileTheIndexIsAwayIsA503() {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setRequestType(RequestTypeEnum.GET);
        request.setRequestPath("Observation");
        // What HAPI throws for a search whose background task failed: a new exception with the message only.
        Search search = new Search();
        search.setStatus(SearchStatusEnum.FAILED);
        search.setFailureCode(500);
        search.setFailureMessage("Connection refused");
        InternalErrorException failed = assertThrows(
                InternalErrorException.class,
                () -> QueryParameterUtils.verifySearchHasntFailedOrThrowInternalErrorException(search));

        BaseServerResponseException answer = new BackendUnavailable(() -> false).translate(request, failed);
        assertEquals(503, answer.getStatusCode());
        assertTrue(answer.getMessage().contains("search index"), answer.getMessage());
        assertFalse(answer.getMessage().contains("nothing was stored"), "a search stores nothing anyway");
        // The same failure while the index answers is some other fault: it stays a 500.
        assertNull(new BackendUnavailable(() -> true).translate(request, failed));
    }

    @Test
    void otherFailuresStayWhatTheyWere() {
        ServletRequestDetails request = new ServletRequestDetails();
        assertNull(new BackendUnavailable(() -> false)
                .translate(
                        request,
                        new InternalErrorException(new ConstraintViolationException(
                                "duplicate key", new SQLException("duplicate key value", "23505"), "idx"))));
        assertNull(BackendUnavailable.unavailable(new NullPointerException()));
        // A refused connection that is not the search client's (e.g. a REST-hook subscriber away) is no backend.
        assertNull(BackendUnavailable.unavailable(new RuntimeException(new ConnectException("Connection refused"))));
    }
}
