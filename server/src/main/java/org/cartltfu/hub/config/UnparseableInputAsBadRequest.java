package org.cartltfu.hub.config;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URLDecoder;
import java.time.format.DateTimeParseException;
import java.util.stream.Collectors;

/**
 * HAPI reports some malformed request values as 500 (e.g. {@code temperature=hot} for a decimal operation
 * parameter, where the number parser throws; {@code ?name=%zz}, where the URL decoder throws). They are the client's
 * error: answer 400 and name the parameters sent.
 */
@Interceptor
public class UnparseableInputAsBadRequest {

    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = HookOrder.UNPARSEABLE_INPUT)
    public BaseServerResponseException translate(RequestDetails request, Throwable exception) {
        // null: nothing to translate; the next hook (AccessGuard's, for errors hidden from non-hub callers) decides.
        if (exception instanceof BaseServerResponseException response
                && !(response instanceof InternalErrorException)) {
            return null;
        }
        String message = exception.getMessage() == null ? "" : exception.getMessage();
        if (message.startsWith("HAPI-1246") || message.startsWith("HAPI-1230")) {
            // A chain or include through an element that is no reference (e.g. RequestGroup.instantiatesCanonical).
            return new InvalidRequestException("A chained parameter or include goes through an element that is not a"
                    + " reference: " + message + parametersSent(request));
        }
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException
                    && cause.getStackTrace().length > 0
                    && URLDecoder.class.getName().equals(cause.getStackTrace()[0].getClassName())) {
                // HAPI decodes the query string before any hook runs.
                return new InvalidRequestException("Malformed percent-encoding in the query string (each % must be"
                        + " followed by two hex digits): " + cause.getMessage());
            }
            if ((cause instanceof NullPointerException || cause instanceof IllegalArgumentException)
                    && cause != exception
                    && thrownByHapi(cause)) {
                // e.g. CodeSystem/$lookup without system: HAPI's provider dereferences the missing parameter.
                return new InvalidRequestException("The request lacks a parameter it needs, or one is malformed ("
                        + request.getOperation() + "): " + cause.getMessage() + parametersSent(request));
            }
            if (cause instanceof NumberFormatException
                    || cause instanceof DataFormatException
                    || cause instanceof DateTimeParseException) {
                return new InvalidRequestException(
                        "A parameter value has the wrong format (not a number, date or code of"
                                + " the declared type): " + cause.getMessage() + parametersSent(request));
            }
        }
        return null;
    }

    private static String parametersSent(RequestDetails request) {
        String sent = request.getParameters().entrySet().stream()
                .map(parameter -> parameter.getKey() + "=" + String.join(",", parameter.getValue()))
                .collect(Collectors.joining("&"));
        return sent.isEmpty() ? "" : "; parameters sent: " + sent;
    }

    /** Only HAPI's own code: a null or bad argument in ours is our bug and stays a 500. */
    private static boolean thrownByHapi(Throwable cause) {
        StackTraceElement[] trace = cause.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("ca.uhn.fhir.")
                || trace.length > 1
                        && trace[0].getClassName().startsWith("java.")
                        && trace[1].getClassName().startsWith("ca.uhn.fhir.");
    }
}
