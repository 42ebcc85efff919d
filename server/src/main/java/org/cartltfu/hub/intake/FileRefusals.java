package org.cartltfu.hub.intake;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

/**
 * How an uploaded file is refused: every problem named where a person finds it in the file (line, column), whether
 * the upload's own checks found it or the hub's refusal of the transaction made from the file (whose issues name
 * transaction entries, which the uploader never saw).
 */
final class FileRefusals {

	/** How the intake rules and HAPI name a transaction entry: {@code Bundle.entry[3]} or "Entry 3 (...)". */
	private static final Pattern ENTRY = Pattern.compile("(?:entry\\[|Entry )(\\d+)");

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
		return new UnprocessableEntityException(errors.size() + " problem" + (errors.size() == 1 ? "" : "s")
				+ " in the file; nothing was stored", outcome);
	}

	/**
	 * The hub's refusal of the transaction with each issue about an entry put where that entry came from.
	 *
	 * @param placeOfEntry where in the file an entry (by index) came from, e.g. "Line 4, column crp"; null if nowhere
	 */
	static BaseServerResponseException relocated(BaseServerResponseException refused, IntFunction<String> placeOfEntry) {
		if (!(refused.getOperationOutcome() instanceof OperationOutcome outcome)) {
			return refused;
		}
		for (OperationOutcomeIssueComponent issue : outcome.getIssue()) {
			String where = String.join(" ", issue.getExpression().stream().map(e -> e.getValue()).toList())
					+ " " + issue.getDiagnostics();
			Matcher entry = ENTRY.matcher(where);
			String place = entry.find() ? placeOfEntry.apply(Integer.parseInt(entry.group(1))) : null;
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
}
