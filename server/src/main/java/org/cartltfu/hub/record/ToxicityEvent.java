package org.cartltfu.hub.record;

import java.util.List;
import java.util.Optional;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;

/**
 * A CRS or ICANS episode as recorded (our crs-event / icans-event AdverseEvent): the one reader of its toxicity code
 * and of our extensions on it (stated ASTCT grade, resolution date, therapies), for the clinical operations, the
 * grade check and the registry summaries alike. Dates are given as written; each reader decides how a partial date
 * counts.
 */
public record ToxicityEvent(AdverseEvent event) {

    /** Its code in our cart-event-type system ({@code crs}, {@code icans}), if any. */
    public Optional<String> toxicity() {
        return event.getEvent().getCoding().stream()
                .filter(coding -> CarTIg.CS_CART_EVENT_TYPE.equals(coding.getSystem()) && coding.hasCode())
                .map(Coding::getCode)
                .findFirst();
    }

    /** When it began ({@code detected}), as written; null when absent. */
    public String onset() {
        return event.hasDetected() ? event.getDetectedElement().getValueAsString() : null;
    }

    /** When it resolved (our resolution-date extension), as written; null while it lasts. */
    public String resolution() {
        Extension extension = event.getExtensionByUrl(CarTIg.EXT_RESOLUTION_DATE);
        return extension == null || extension.getValue() == null
                ? null
                : extension.getValue().primitiveValue();
    }

    /** The highest ASTCT grade the site stated (our astct-grade extension), when it is a grade (0–5). */
    public Optional<Integer> statedGrade() {
        Extension extension = event.getExtensionByUrl(CarTIg.EXT_ASTCT_GRADE);
        if (extension == null || !(extension.getValue() instanceof CodeableConcept grade)) {
            return Optional.empty();
        }
        return grade.getCoding().stream()
                .map(Coding::getCode)
                .filter(code -> code != null && code.matches("[0-5]"))
                .findFirst()
                .map(Integer::valueOf);
    }

    /** The therapies given for it (our toxicity-therapy extensions), in order. */
    public List<CodeableConcept> therapies() {
        return event.getExtensionsByUrl(CarTIg.EXT_TOXICITY_THERAPY).stream()
                .map(Extension::getValue)
                .filter(CodeableConcept.class::isInstance)
                .map(CodeableConcept.class::cast)
                .toList();
    }
}
