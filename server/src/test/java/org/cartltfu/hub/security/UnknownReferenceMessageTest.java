package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** HAPI's refusal of a reference to nothing names one of several search paths at random; the hub names the element. */
class UnknownReferenceMessageTest {

    private static final String REFUSAL = "HAPI-1094: Resource Patient/x not found, specified in path: ";

    @Test
    void everySearchPathOfAnElementNamesTheElement() {
        for (String path : new String[] {
            "Observation.subject.where(resolve() is Patient)",
            "Observation.subject",
            "Observation.subject.resolve()",
            "(Observation.subject as Reference)"
        }) {
            assertEquals(
                    REFUSAL + "Observation.subject", SiteWriteGuard.unknownReferenceByElement(REFUSAL + path), path);
        }
        assertEquals(
                REFUSAL + "Encounter.participant.individual",
                SiteWriteGuard.unknownReferenceByElement(
                        REFUSAL + "Encounter.participant.individual.where(resolve() is" + " Patient)"));
    }

    @Test
    void otherMessagesAreLeftAlone() {
        assertEquals(
                "HAPI-0450: Failed to parse", SiteWriteGuard.unknownReferenceByElement("HAPI-0450: Failed to parse"));
        assertNull(SiteWriteGuard.unknownReferenceByElement(null));
    }
}
