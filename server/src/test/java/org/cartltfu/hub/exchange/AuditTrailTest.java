package org.cartltfu.hub.exchange;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import org.hl7.fhir.r4.model.codesystems.RestfulInteraction;
import org.junit.jupiter.api.Test;

class AuditTrailTest {

    /** A failure event whose subtype is not in R4's code system fails validation and would be lost. */
    @Test
    void everyInteractionHapiNamesIsAuditedWithAnR4RestfulInteractionCode() {
        for (RestOperationTypeEnum operation : RestOperationTypeEnum.values()) {
            String code = AuditTrail.restfulInteraction(operation.getCode());
            assertDoesNotThrow(() -> RestfulInteraction.fromCode(code), operation + " -> " + code);
        }
        assertEquals("operation", AuditTrail.restfulInteraction("extended-operation-server"));
        assertEquals("capabilities", AuditTrail.restfulInteraction("metadata"));
        assertEquals("read", AuditTrail.restfulInteraction("read"));
    }
}
