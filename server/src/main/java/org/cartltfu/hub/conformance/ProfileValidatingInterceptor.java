package org.cartltfu.hub.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.interceptor.validation.IRepositoryValidatingRule;
import ca.uhn.fhir.jpa.interceptor.validation.RepositoryValidatingInterceptor;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;

/**
 * HAPI's repository validation, answering a failed rule with 422 Unprocessable Entity (the FHIR answer for content
 * that parses but breaks a profile) instead of HAPI's 412, with the validator's OperationOutcome: one issue per
 * broken rule, each naming the element path and the constraint.
 */
public class ProfileValidatingInterceptor extends RepositoryValidatingInterceptor {

	public ProfileValidatingInterceptor(FhirContext fhirContext, List<IRepositoryValidatingRule> rules) {
		// HAPI's two-argument constructor reads the context before assigning it; set them in order instead.
		setFhirContext(fhirContext);
		setRules(rules);
	}

	@Override
	protected void handleFailure(IRepositoryValidatingRule.RuleEvaluation evaluation) {
		if (evaluation.getOperationOutcome() != null) {
			throw new UnprocessableEntityException(evaluation.getFailureDescription(), evaluation.getOperationOutcome());
		}
		throw new UnprocessableEntityException(evaluation.getFailureDescription());
	}
}
