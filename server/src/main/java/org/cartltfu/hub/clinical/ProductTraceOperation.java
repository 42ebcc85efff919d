package org.cartltfu.hub.clinical;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import org.cartltfu.hub.record.DayZero;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.hub.record.ToxicityEvent;
import org.cartltfu.ig.CarTIg;
import org.cartltfu.ig.CartEventType;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.BiologicallyDerivedProduct;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code $trace-product}: given a manufacturing lot/batch or a chain-of-identity identifier, every patient infused with
 * that product, when and where, and every adverse event and new malignancy recorded for them since the infusion. The
 * recall case: a contaminated lot has to be traced to all recipients within hours.
 */
public class ProductTraceOperation {

    private final PatientRecords records;

    public ProductTraceOperation(PatientRecords records) {
        this.records = records;
    }

    @Operation(name = "$trace-product", idempotent = true)
    public Parameters traceProduct(
            @OperationParam(name = "lot") StringType lot, @OperationParam(name = "coi") StringType chainOfIdentity) {
        boolean byLot = lot != null && !lot.isEmpty();
        boolean byCoi = chainOfIdentity != null && !chainOfIdentity.isEmpty();
        if (byLot == byCoi) {
            throw new InvalidRequestException(
                    "Give exactly one of the parameters 'lot' (manufacturer lot or batch number)"
                            + " or 'coi' (chain-of-identity identifier)");
        }
        // Lot numbers are issued per manufacturer (system sid/lot/{product}), so a lot matches in any lot system.
        TokenParam identifier = byLot
                ? new TokenParam(null, lot.getValue())
                : new TokenParam(CarTIg.SID_COI, chainOfIdentity.getValue());
        List<BiologicallyDerivedProduct> products = records.search(
                BiologicallyDerivedProduct.class,
                SearchParameterMap.newSynchronous().add("identifier", identifier));

        Parameters trace = new Parameters();
        trace.addParameter().setName("productsFound").setValue(new IntegerType(products.size()));
        for (BiologicallyDerivedProduct product : products) {
            ParametersParameterComponent productPart = trace.addParameter().setName("product");
            String productRef =
                    product.getIdElement().toUnqualifiedVersionless().getValue();
            productPart.addPart().setName("reference").setValue(new Reference(productRef));
            productPart
                    .addPart()
                    .setName("productCode")
                    .setValue(new CodeType(
                            product.getProductCode().getCodingFirstRep().getCode()));
            product.getIdentifier()
                    .forEach(id -> productPart
                            .addPart()
                            .setName("identifier")
                            .setValue(new StringType(id.getSystem() + "|" + id.getValue())));

            DayZero.infusions(records.search(
                            Procedure.class,
                            SearchParameterMap.newSynchronous().add("infused-product", new ReferenceParam(productRef))))
                    .forEach(infusion -> addRecipient(productPart, infusion));
        }
        return trace;
    }

    private void addRecipient(ParametersParameterComponent productPart, Procedure infusion) {
        ParametersParameterComponent recipient = productPart.addPart().setName("recipient");
        String patient = infusion.getSubject().getReference();
        recipient.addPart().setName("patient").setValue(new Reference(patient));
        recipient
                .addPart()
                .setName("infusion")
                .setValue(new Reference(
                        infusion.getIdElement().toUnqualifiedVersionless().getValue()));
        LocalDate infusionDate = DayZero.date(infusion).orElse(null);
        if (infusionDate != null) {
            recipient.addPart().setName("infusionDate").setValue(new DateType(infusionDate.toString()));
        }
        infusion.getPerformer().stream()
                .findFirst()
                .ifPresent(performer -> recipient
                        .addPart()
                        .setName("site")
                        .setValue(new StringType(
                                performer.getActor().hasDisplay()
                                        ? performer.getActor().getDisplay()
                                        : performer.getActor().getReference())));

        SearchParameterMap bySubject = SearchParameterMap.newSynchronous().add("subject", new ReferenceParam(patient));
        records.search(AdverseEvent.class, bySubject).stream()
                .filter(event -> onOrAfter(event.getDetectedElement().getValueAsString(), infusionDate))
                .sorted(Comparator.comparing(event -> event.getDetectedElement().getValueAsString()))
                .forEach(event -> {
                    ParametersParameterComponent part = recipient.addPart().setName("adverseEvent");
                    part.addPart()
                            .setName("reference")
                            .setValue(new Reference(event.getIdElement()
                                    .toUnqualifiedVersionless()
                                    .getValue()));
                    part.addPart()
                            .setName("event")
                            .setValue(new StringType(
                                    event.getEvent().getCodingFirstRep().getCode()));
                    part.addPart()
                            .setName("onset")
                            .setValue(new StringType(event.getDetectedElement().getValueAsString()));
                    new ToxicityEvent(event)
                            .statedGrade()
                            .ifPresent(grade ->
                                    part.addPart().setName("astctGrade").setValue(new IntegerType(grade)));
                });
        records.search(
                        Condition.class,
                        SearchParameterMap.newSynchronous()
                                .add("subject", new ReferenceParam(patient))
                                .add(
                                        "category",
                                        new TokenParam(
                                                CartEventType.NEW_MALIGNANCY.system(),
                                                CartEventType.NEW_MALIGNANCY.code())))
                .forEach(malignancy -> {
                    ParametersParameterComponent part = recipient.addPart().setName("newMalignancy");
                    part.addPart()
                            .setName("reference")
                            .setValue(new Reference(malignancy
                                    .getIdElement()
                                    .toUnqualifiedVersionless()
                                    .getValue()));
                    part.addPart()
                            .setName("onset")
                            .setValue(new StringType(
                                    malignancy.getOnsetDateTimeType().getValueAsString()));
                });
    }

    /** Events without a full date, or of an infusion without one, are listed: they may follow the infusion. */
    private static boolean onOrAfter(String fhirDateTime, LocalDate infusionDate) {
        LocalDate date = ClinicalDates.localDate(fhirDateTime);
        return date == null || infusionDate == null || !date.isBefore(infusionDate);
    }
}
