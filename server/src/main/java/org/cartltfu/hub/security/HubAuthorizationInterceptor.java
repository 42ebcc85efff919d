package org.cartltfu.hub.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderAppliesTo;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ValueSet;
import java.util.Optional;

/**
 * Who may do what, as HAPI authorization rules built per request from the caller's token:
 * <ul>
 *   <li>hub: what its scopes allow, on every patient;
 *   <li>spoke: reads only in the compartments of the patients its site manages (plus the implementation guide and
 *       the site directory); writes as its scopes allow, each written resource then checked against the site by
 *       {@link SiteWriteGuard}; never AuditEvents; calculators and terminology operations, and per-patient
 *       operations on its own patients;
 *   <li>registry: no direct access to patient data; it receives de-identified, consent-gated extracts through
 *       Bulk Data {@code $export} (its own jobs and files only: ExportOwners), flat views and period summaries;
 *   <li>no token: only {@code metadata} (everything else was refused with 401 before it got here).
 * </ul>
 * Rules say what is allowed; anything else is 403. HAPI's rule builder treats read and search as one permission, so
 * the SMART letters r and s open both; c, u and d are checked per resource by {@link SiteWriteGuard}.
 */
public class HubAuthorizationInterceptor extends AuthorizationInterceptor {

	/** Not patient data: the implementation guide and the directory of sites. */
	private static final List<String> SHARED_READABLE = List.of(
			"StructureDefinition", "CodeSystem", "ValueSet", "ConceptMap", "NamingSystem", "SearchParameter",
			"ImplementationGuide", "Organization");

	private final Callers callers;
	private final SiteOrganizations sites;

	public HubAuthorizationInterceptor(Callers callers, SiteOrganizations sites) {
		super(PolicyEnum.DENY);
		this.callers = callers;
		this.sites = sites;
	}

	@Override
	public List<IAuthRule> buildRuleList(RequestDetails request) {
		if (!callers.securityEnabled()) {
			return new RuleBuilder().allowAll("security is disabled (development setting)").build();
		}
		Optional<Caller> caller = callers.of(request);
		if (caller.isEmpty() || caller.get().role() == null) {
			return new RuleBuilder().allow().metadata().andThen().denyAll("no usable access token").build();
		}
		return switch (caller.get().role()) {
			case HUB -> hubRules(caller.get());
			case SPOKE -> spokeRules(caller.get(), request);
			case REGISTRY -> registryRules();
		};
	}

	/** Names of the registry-facing operations (extract, views, summaries). */
	public static final List<String> REGISTRY_OPERATIONS =
			List.of("$export", "$export-poll-status", "$viewdefinition-run", "$registry-summary");

	private static List<IAuthRule> registryRules() {
		IAuthRuleBuilder rules = new RuleBuilder();
		rules.allow().metadata();
		rules.allow("registry extract").bulkExport().any();
		for (String operation : REGISTRY_OPERATIONS) {
			rules.allow("registry " + operation).operation().named(operation).atAnyLevel().andAllowAllResponses();
		}
		// Only the files of its own exports: the Binary's security context is checked by ExportOwners.
		rules.allow("registry extract files").read().resourcesOfType("Binary").withAnyId();
		return rules.denyAll("registries have no direct access to patient data; they receive de-identified extracts "
				+ "through " + String.join(", ", REGISTRY_OPERATIONS)).build();
	}

	private static List<IAuthRule> hubRules(Caller caller) {
		IAuthRuleBuilder rules = new RuleBuilder();
		rules.allow().metadata();
		// Which types a hub token may export is checked against its scopes by RegistryExportInterceptor.
		rules.allow("hub extract").bulkExport().any();
		for (SmartScope scope : caller.scopes()) {
			if (canRead(scope)) {
				types(rules.allow("hub read " + scope.resourceType()).read(), scope).withAnyId();
			}
			if (canWrite(scope)) {
				types(rules.allow("hub write " + scope.resourceType()).write(), scope).withAnyId();
				types(rules.allow().createConditional(), scope);
				types(rules.allow().updateConditional(), scope);
			}
			if (scope.permissions().indexOf('d') >= 0) {
				types(rules.allow("hub delete " + scope.resourceType()).delete(), scope).withAnyId();
			}
		}
		rules.allow().transaction().withAnyOperation().andApplyNormalRules();
		rules.allow().patch().allRequests();
		rules.allow("hub operations").operation().withAnyName().atAnyLevel().andAllowAllResponses();
		return rules.denyAll("not within the scopes of this token").build();
	}

	private List<IAuthRule> spokeRules(Caller caller, RequestDetails request) {
		IAuthRuleBuilder rules = new RuleBuilder();
		rules.allow().metadata();
		rules.deny("audit trail is for the hub").read().resourcesOfType("AuditEvent").withAnyId();
		Optional<String> organization = sites.organizationId(caller.site());
		if (organization.isEmpty()) {
			return rules.denyAll("the site " + caller.site() + " of this client has no Organization").build();
		}
		List<String> patients = sites.managedPatients(organization.get(), request);
		for (SmartScope scope : caller.scopes()) {
			if (canRead(scope) && !patients.isEmpty()) {
				types(rules.allow("spoke read " + scope.resourceType()).read(), scope)
						.inCompartment("Patient", ids(patients));
			}
			if (canWrite(scope)) {
				// Which patient a new resource belongs to is only known once references are resolved: SiteWriteGuard.
				types(rules.allow("spoke write " + scope.resourceType()).write(), scope).withAnyId();
				types(rules.allow().createConditional(), scope);
				types(rules.allow().updateConditional(), scope);
			}
			if (scope.permissions().indexOf('d') >= 0 && !patients.isEmpty()) {
				types(rules.allow("spoke delete " + scope.resourceType()).delete(), scope)
						.inCompartment("Patient", ids(patients));
			}
		}
		rules.allow().transaction().withAnyOperation().andApplyNormalRules();
		spokeOperations(rules, patients);
		for (String type : SHARED_READABLE) {
			rules.allow("shared " + type).read().resourcesOfType(type).withAnyId();
		}
		return rules.denyAll("not a patient of site " + caller.site() + ", or not within the scopes of this token")
				.build();
	}

	/**
	 * Spokes may run the calculators and terminology/validation operations (no patient data in or out), and the
	 * per-patient operations on their own patients only. Cross-patient operations ($trace-product,
	 * $follow-up-status) are the hub's.
	 */
	private static void spokeOperations(IAuthRuleBuilder rules, List<String> patients) {
		for (String calculator : List.of("$grade-crs", "$grade-icans")) {
			rules.allow().operation().named(calculator).onServer().andAllowAllResponses();
		}
		for (String terminology : List.of("$lookup", "$validate-code", "$subsumes")) {
			rules.allow().operation().named(terminology).onType(CodeSystem.class).andAllowAllResponses();
		}
		for (String terminology : List.of("$expand", "$validate-code")) {
			rules.allow().operation().named(terminology).onType(ValueSet.class).andAllowAllResponses();
		}
		rules.allow().operation().named("$translate").onType(ConceptMap.class).andAllowAllResponses();
		rules.allow().operation().named("$validate").onAnyType().andAllowAllResponses();
		if (!patients.isEmpty()) {
			for (String perPatient : List.of("$toxicity-history", "$toxicity-grades")) {
				rules.allow().operation().named(perPatient).onInstances(ids(patients)).andAllowAllResponses();
			}
		}
	}

	private static List<IIdType> ids(List<String> patients) {
		return patients.stream().<IIdType>map(IdType::new).toList();
	}

	private static boolean canRead(SmartScope scope) {
		return scope.permissions().indexOf('r') >= 0 || scope.permissions().indexOf('s') >= 0;
	}

	private static boolean canWrite(SmartScope scope) {
		return scope.permissions().indexOf('c') >= 0 || scope.permissions().indexOf('u') >= 0;
	}

	private static <T> T types(IAuthRuleBuilderAppliesTo<T> appliesTo, SmartScope scope) {
		return "*".equals(scope.resourceType()) ? appliesTo.allResources() : appliesTo.resourcesOfType(scope.resourceType());
	}
}
