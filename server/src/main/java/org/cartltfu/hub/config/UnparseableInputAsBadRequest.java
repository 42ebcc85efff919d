package org.cartltfu.hub.config;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.format.DateTimeParseException;
import java.util.stream.Collectors;

/**
 * HAPI reports some malformed request values as 500 (e.g. {@code temperature=hot} for a decimal operation
 * parameter, where the number parser throws). They are the client's error: answer 400 and name the parameters sent.
 */
@Interceptor
public class UnparseableInputAsBadRequest {

	@Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
	public BaseServerResponseException translate(RequestDetails request, Throwable exception) {
		if (exception instanceof BaseServerResponseException response && !(response instanceof InternalErrorException)) {
			return response;
		}
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof NumberFormatException
					|| cause instanceof DataFormatException
					|| cause instanceof DateTimeParseException) {
				String sent = request.getParameters().entrySet().stream()
						.map(parameter -> parameter.getKey() + "=" + String.join(",", parameter.getValue()))
						.collect(Collectors.joining("&"));
				return new InvalidRequestException("A parameter value has the wrong format (not a number, date or code of"
						+ " the declared type): " + cause.getMessage() + (sent.isEmpty() ? "" : "; parameters sent: " + sent));
			}
		}
		return exception instanceof BaseServerResponseException response ? response : null;
	}
}
