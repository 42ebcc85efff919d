package org.cartltfu.hub.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/** Advertises SMART Backend Services in the CapabilityStatement: the security service and the token endpoint. */
@Interceptor
public class CapabilitySecurity {

    private final Endpoints endpoints;

    public CapabilitySecurity(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = HookOrder.CAPABILITY_SECURITY)
    public void advertise(IBaseConformance capabilities, ServletRequestDetails request) {
        if (!(capabilities instanceof CapabilityStatement statement)) {
            return;
        }
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
            security.setCors(false);
            security.addService()
                    .addCoding()
                    .setSystem(CarTIg.RESTFUL_SECURITY_SERVICE)
                    .setCode("SMART-on-FHIR")
                    .setDisplay("SMART-on-FHIR");
            security.setDescription("SMART Backend Services: OAuth 2.0 client_credentials with a private_key_jwt "
                    + "assertion (RS384/ES384); system scopes such as system/Observation.cu or system/*.rs.");
            Extension oauth = security.addExtension().setUrl(CarTIg.SMART_OAUTH_URIS);
            oauth.addExtension("token", new UriType(endpoints.tokenUrl(request.getServletRequest())));
        }
    }
}
