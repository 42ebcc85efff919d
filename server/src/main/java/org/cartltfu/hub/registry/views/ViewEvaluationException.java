package org.cartltfu.hub.registry.views;

/** A view could not be evaluated over one resource: a path failed, or gave values its column cannot hold. */
public class ViewEvaluationException extends RuntimeException {

    ViewEvaluationException(String message, Throwable cause) {
        super(message, cause);
    }

    ViewEvaluationException(String message) {
        super(message);
    }
}
