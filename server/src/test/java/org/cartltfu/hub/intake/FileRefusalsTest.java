package org.cartltfu.hub.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class FileRefusalsTest {

    private static final Bundle TRANSACTION = new Bundle();

    static {
        TRANSACTION.addEntry().setResource(observation("Patient/known"));
        TRANSACTION.addEntry().setResource(observation("Patient/gone"));
        TRANSACTION.addEntry().setResource(observation("Patient/gone"));
    }

    @Test
    void anIssueNamingAnEntryIsPutWhereTheEntryCameFrom() {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setDiagnostics("Entry 2 (Observation urn:uuid:1): Observation.code: minimum required = 1")
                .addLocation("Bundle.entry[2].resource");
        outcome.addIssue().setDiagnostics("no entry named").addExpression("Bundle.entry[1].resource.status");
        List<OperationOutcome.OperationOutcomeIssueComponent> issues =
                relocate(new UnprocessableEntityException("refused", outcome)).getIssue();
        assertEquals(
                "Line 3: Observation.code: minimum required = 1", issues.get(0).getDiagnostics());
        assertEquals("Line 3", issues.get(0).getLocation().get(0).getValue());
        assertEquals("Line 2: no entry named", issues.get(1).getDiagnostics());
    }

    @Test
    void hapisReferenceToNothingIsPutAtTheFirstEntryHoldingIt() {
        OperationOutcome outcome = relocate(new InvalidRequestException(
                "HAPI-1094: Resource Patient/gone not found, specified in path: Observation.subject"));
        assertEquals(
                "Line 2: HAPI-1094: Resource Patient/gone not found, specified in path: Observation.subject",
                outcome.getIssueFirstRep().getDiagnostics());
    }

    @Test
    void aRefusalNamingNoEntryIsLeftAsItIs() {
        OperationOutcome outcome = relocate(new InvalidRequestException(
                "HAPI-1094: Resource Patient/other not found, specified in path: Observation.subject"));
        assertEquals(
                "HAPI-1094: Resource Patient/other not found, specified in path: Observation.subject",
                outcome.getIssueFirstRep().getDiagnostics());
        assertEquals(List.of(), outcome.getIssueFirstRep().getLocation());
    }

    private static OperationOutcome relocate(BaseServerResponseException refused) {
        return (OperationOutcome) FileRefusals.relocated(refused, TRANSACTION, index -> "Line " + (index + 1))
                .getOperationOutcome();
    }

    private static Observation observation(String subject) {
        Observation observation = new Observation();
        observation.setSubject(new Reference(subject));
        return observation;
    }
}
