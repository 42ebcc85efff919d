package org.cartltfu.hub.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.util.FhirTerser;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * How an uploaded file is refused: every problem named where a person finds it in the file (line, column), whether
 * the upload's own checks found it or the hub's refusal of the transaction made from the file (whose issues name
 * transaction entries, which the uploader never saw).
 */
final class FileRefusals {

    /** How the intake rules and HAPI name a transaction entry: {@code Bundle.entry[3]} or "Entry 3 (...)". */
    private static final Pattern ENTRY = Pattern.compile("(?:entry\\[|Entry )(\\d+)");
    /** HAPI's refusal of a reference to nothing (HAPI-1094), which names the reference and its path only. */
    private static final Pattern MISSING = Pattern.compile("Resource (\\S+) not found, specified in path: ([\\w.]+)");

    private static final FhirTerser TERSER = FhirContext.forR4Cached().newTerser();

    private FileRefusals() {}

    /** 422 naming every problem; nothing was stored. */
    static UnprocessableEntityException refusal(List<CellError> errors) {
        OperationOutcome outcome = new OperationOutcome();
        for (CellError error : errors) {
            OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.INVALID)
                    .setDiagnostics(error.toString());
            issue.addLocation(error.where());
        }
        return new UnprocessableEntityException(
                errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + " in the file; nothing was stored",
                outcome);
    }

    /**
     * The hub's refusal of the transaction with each issue about an entry put where that entry came from: issues that
     * name the entry ({@code Bundle.entry[3]}, "Entry 3 (...)"), and HAPI's "Resource Patient/x not found, specified in
     * path: Observation.subject", which names only the reference (put at the first entry holding it).
     *
     * @param transaction the transaction refused
     * @param placeOfEntry where in the file an entry (by index) came from, e.g. "Line 4, column crp"; null if nowhere
     */
    static BaseServerResponseException relocated(
            BaseServerResponseException refused, Bundle transaction, IntFunction<String> placeOfEntry) {
        OperationOutcome outcome =
                refused.getOperationOutcome() instanceof OperationOutcome given ? given : new OperationOutcome();
        if (!outcome.hasIssue()) {
            // HAPI's own refusals (a reference to nothing, a conditional match) often carry only their message.
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.INVALID)
                    .setDiagnostics(refused.getMessage());
        }
        for (OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            String where = String.join(
                            " ",
                            issue.getExpression().stream()
                                    .map(e -> e.getValue())
                                    .toList()) + " " + issue.getDiagnostics();
            Matcher entry = ENTRY.matcher(where);
            Matcher missing = MISSING.matcher(where);
            int index = entry.find()
                    ? Integer.parseInt(entry.group(1))
                    : missing.find() ? holding(transaction, missing.group(1), missing.group(2)) : -1;
            String place = index < 0 ? null : placeOfEntry.apply(index);
            if (place != null) {
                issue.setDiagnostics(place + ": "
                        + String.valueOf(issue.getDiagnostics()).replaceFirst("^Entry \\d+ \\([^)]*\\): ", ""));
                issue.getLocation().clear();
                issue.addLocation(place);
            }
        }
        refused.setOperationOutcome(outcome);
        return refused;
    }

    /** The first entry whose resource (of the path's type) holds the reference; -1 if none. */
    private static int holding(Bundle transaction, String reference, String path) {
        String type = path.split("\\.")[0];
        for (int index = 0; index < transaction.getEntry().size(); index++) {
            Resource resource = transaction.getEntry().get(index).getResource();
            if (resource != null
                    && resource.fhirType().equals(type)
                    && TERSER.getAllPopulatedChildElementsOfType(resource, Reference.class).stream()
                            .anyMatch(held -> reference.equals(held.getReference()))) {
                return index;
            }
        }
        return -1;
    }
}
