package org.cartltfu.hub.registry.deid;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Set;
import org.cartltfu.hub.record.StudyDay;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MarkdownType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Turns a stored resource into what one registry may receive (the minimisation rules of the domain brief, section 5),
 * in place. Names, addresses, telecom, photos and attachments go; identifiers go unless the recipient is registered
 * for their system (e.g. the CIBMTR research id); free text goes (narrative, notes, every free string except code
 * displays and units); every resource id and reference is replaced by the recipient's keyed pseudonym, and references
 * to resources the recipient does not receive (practitioners, sites) are dropped; dates become study days or are
 * shifted; a birth date becomes a year or an age at infusion. Elements left empty are removed, so no empty shell hints
 * at what was there.
 */
public final class Deidentifier {

    private final FhirContext fhirContext;
    private final Pseudonyms pseudonyms;
    private final DateMasking shifts;
    private final DatePolicy dates;
    private final BirthDatePolicy birthDates;
    private final Set<String> identifierSystems;
    private final Set<String> releasedTypes;

    /**
     * @param identifierSystems identifier systems this recipient is registered to receive (all others are dropped)
     * @param releasedTypes resource types this recipient receives; references to other types are dropped
     */
    public Deidentifier(
            FhirContext fhirContext,
            RecipientKey key,
            DatePolicy dates,
            int maxShiftDays,
            BirthDatePolicy birthDates,
            Set<String> identifierSystems,
            Set<String> releasedTypes) {
        this.fhirContext = fhirContext;
        this.pseudonyms = new Pseudonyms(key);
        this.shifts = new DateMasking(key, maxShiftDays);
        this.dates = dates;
        this.birthDates = birthDates;
        this.identifierSystems = Set.copyOf(identifierSystems);
        this.releasedTypes = Set.copyOf(releasedTypes);
    }

    /** The pseudonym this recipient knows a resource by. */
    public String pseudonym(String resourceType, String id) {
        return pseudonyms.of(resourceType + "/" + id);
    }

    /**
     * @param patientId the id of the patient the resource belongs to (its own id for a Patient)
     * @param infusionDate the patient's first infusion (day 0); may be null only when dates are shifted and the birth
     *     date is kept as a year
     */
    public void apply(Resource resource, String patientId, LocalDate infusionDate) {
        if ((dates == DatePolicy.STUDY_DAY || birthDates == BirthDatePolicy.AGE_AT_INFUSION) && infusionDate == null) {
            throw new IllegalArgumentException("patient " + patientId + " has no infusion date to count days from");
        }
        String type = resource.fhirType();
        DateType birthDate = resource instanceof Patient patient
                ? patient.getBirthDateElement().copy()
                : null;
        Subject subject = new Subject(patientId, infusionDate);
        walk(resource, composite(resource), subject);
        resource.setIdElement(
                new IdType(type, pseudonym(type, resource.getIdElement().getIdPart())));
        if (resource instanceof Patient patient) {
            patient.setBirthDateElement(null);
            if (birthDate != null && birthDate.getValue() != null) {
                if (birthDates == BirthDatePolicy.YEAR) {
                    patient.setBirthDateElement(new DateType(String.valueOf(birthDate.getYear())));
                } else {
                    LocalDate born = LocalDate.of(birthDate.getYear(), birthDate.getMonth() + 1, birthDate.getDay());
                    Age age = new Age();
                    age.setValue(DateMasking.ageAtInfusion(born, infusionDate))
                            .setUnit("years")
                            .setSystem(CarTIg.UCUM)
                            .setCode("a");
                    patient.addExtension(CarTIg.EXT_AGE_AT_INFUSION, age);
                }
            }
        }
    }

    private record Subject(String patientId, LocalDate infusionDate) {}

    private void walk(IBase element, BaseRuntimeElementCompositeDefinition<?> definition, Subject subject) {
        for (BaseRuntimeChildDefinition child : definition.getChildren()) {
            List<? extends IBase> values = child.getAccessor().getValues(element);
            if (values.isEmpty()) {
                continue;
            }
            List<IBase> kept = new ArrayList<>(values.size());
            boolean changed = false;
            for (IBase value : values) {
                IBase masked = mask(value, element, subject);
                changed |= masked != value;
                if (masked != null) {
                    kept.add(masked);
                }
            }
            if (changed) {
                child.getMutator().setValue(element, null);
                kept.forEach(value -> child.getMutator().addValue(element, value));
            }
        }
    }

    /** The value to keep in place of {@code value}: itself (possibly changed inside), a replacement, or null. */
    private IBase mask(IBase value, IBase parent, Subject subject) {
        if (value instanceof Narrative
                || value instanceof Annotation
                || value instanceof HumanName
                || value instanceof Address
                || value instanceof ContactPoint
                || value instanceof Attachment) {
            return null;
        }
        if (value instanceof Identifier identifier) {
            return identifierSystems.contains(identifier.getSystem()) ? identifier : null;
        }
        if (value instanceof Reference reference) {
            return maskReference(reference);
        }
        if (value instanceof Meta meta) {
            Meta kept = new Meta();
            meta.getProfile().forEach(profile -> kept.addProfile(profile.getValue()));
            kept.addSecurity(new Coding(CarTIg.V3_OBSERVATION_VALUE, "PSEUDED", "pseudonymized"));
            return kept;
        }
        if (value instanceof BaseDateTimeType date) {
            return maskDate(date, subject);
        }
        if (value.getClass() == StringType.class || value instanceof MarkdownType) {
            // Free text may name anyone; only code displays and units are safe strings.
            return parent instanceof Coding || parent instanceof Quantity ? value : null;
        }
        BaseRuntimeElementDefinition<?> definition = fhirContext.getElementDefinition(value.getClass());
        if (definition instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
            walk(value, composite, subject);
            if (value instanceof Extension extension && !extension.hasValue() && !extension.hasExtension()) {
                return null;
            }
            return value.isEmpty() ? null : value;
        }
        return value;
    }

    private Reference maskReference(Reference reference) {
        String target = reference.getReference();
        if (target == null) {
            return null;
        }
        if (target.startsWith("#")) {
            return new Reference(target);
        }
        IdType id = new IdType(target);
        if (id.isAbsolute()
                || !id.hasResourceType()
                || !id.hasIdPart()
                || !releasedTypes.contains(id.getResourceType())) {
            return null;
        }
        return new Reference(id.getResourceType() + "/" + pseudonym(id.getResourceType(), id.getIdPart()));
    }

    private IBase maskDate(BaseDateTimeType date, Subject subject) {
        if (date.getValue() == null || date.getPrecision().ordinal() < TemporalPrecisionEnum.DAY.ordinal()) {
            // A partial date cannot be placed on a day count; it is left out rather than kept real.
            return null;
        }
        if (dates == DatePolicy.SHIFT) {
            BaseDateTimeType shifted = (BaseDateTimeType) date.copy();
            shifted.add(Calendar.DATE, shifts.shiftDays(subject.patientId()));
            return shifted;
        }
        LocalDate local = StudyDay.localDate(date.getValueAsString());
        BaseDateTimeType withheld = (BaseDateTimeType) date.copy();
        withheld.setValue(null);
        withheld.getExtension().clear();
        withheld.addExtension(CarTIg.EXT_STUDY_DAY, new IntegerType(StudyDay.dayNumber(subject.infusionDate(), local)));
        return withheld;
    }

    private BaseRuntimeElementCompositeDefinition<?> composite(Resource resource) {
        return (BaseRuntimeElementCompositeDefinition<?>) fhirContext.getResourceDefinition(resource);
    }
}
