package org.cartltfu.hub.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Optional;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class ToxicityEventTest {

    private static AdverseEvent crs() {
        AdverseEvent event = new AdverseEvent();
        event.getEvent()
                .addCoding(new Coding("http://snomed.info/sct", "1234", null))
                .addCoding(new Coding(CarTIg.CS_CART_EVENT_TYPE, "crs", null));
        event.setDetectedElement(new DateTimeType("2024-03-06T10:00:00+07:00"));
        event.addExtension(
                CarTIg.EXT_ASTCT_GRADE, new CodeableConcept(new Coding(CarTIg.CS_ASTCT_CRS_GRADE, "2", null)));
        event.addExtension(CarTIg.EXT_RESOLUTION_DATE, new DateTimeType("2024-03-10"));
        event.addExtension(
                CarTIg.EXT_TOXICITY_THERAPY,
                new CodeableConcept(new Coding(CarTIg.CS_CRS_THERAPY, "tocilizumab", null)));
        event.addExtension(CarTIg.EXT_TOXICITY_THERAPY, new CodeableConcept().setText("dexamethasone"));
        return event;
    }

    @Test
    void readsWhatTheSiteRecorded() {
        ToxicityEvent event = new ToxicityEvent(crs());
        assertEquals(Optional.of("crs"), event.toxicity());
        assertEquals("2024-03-06T10:00:00+07:00", event.onset());
        assertEquals("2024-03-10", event.resolution());
        assertEquals(Optional.of(2), event.statedGrade());
        assertEquals(
                List.of("tocilizumab", "dexamethasone"),
                event.therapies().stream()
                        .map(therapy -> therapy.hasText()
                                ? therapy.getText()
                                : therapy.getCodingFirstRep().getCode())
                        .toList());
    }

    @Test
    void whatIsAbsentOrNotAGradeIsEmpty() {
        ToxicityEvent event = new ToxicityEvent(new AdverseEvent());
        assertEquals(Optional.empty(), event.toxicity());
        assertNull(event.onset());
        assertNull(event.resolution());
        assertEquals(Optional.empty(), event.statedGrade());
        assertEquals(List.of(), event.therapies());

        AdverseEvent odd = crs();
        odd.getExtensionByUrl(CarTIg.EXT_ASTCT_GRADE).setValue(new CodeableConcept(new Coding(null, "severe", null)));
        odd.getExtensionsByUrl(CarTIg.EXT_TOXICITY_THERAPY).get(0).setValue(new StringType("tocilizumab"));
        assertEquals(Optional.empty(), new ToxicityEvent(odd).statedGrade());
        assertEquals(1, new ToxicityEvent(odd).therapies().size(), "a therapy that is not a concept is not read");
    }
}
