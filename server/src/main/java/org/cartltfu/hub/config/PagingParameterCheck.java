package org.cartltfu.hub.config;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * HAPI accepts a negative {@code _count} and then builds page links with negative offsets; refuse it instead, so that
 * a client paging through a cohort gets told what is wrong rather than a broken next link.
 */
@Interceptor
public class PagingParameterCheck {

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = HookOrder.PAGING_CHECK)
    public void checkCount(RequestDetails request) {
        String[] values = request.getParameters().get(Constants.PARAM_COUNT);
        if (values == null) {
            return;
        }
        for (String value : values) {
            if (!value.matches("\\d{1,9}")) {
                throw new InvalidRequestException(
                        "Parameter _count must be a whole number of 0 or more, but was \"" + value + "\"");
            }
        }
    }
}
