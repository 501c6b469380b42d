package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.auth.CompartmentSearchParameterModifications;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifierFinished;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleTester;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.alliancefhir.security.SmartScope.Context;
import org.alliancefhir.security.SmartScope.Permission;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Turns a token's SMART scopes into HAPI authorization rules: {@code patient/} scopes reach the Patient compartment of
 * the token's {@code patient} claim, {@code user/} and {@code system/} scopes all data (there is no per-practitioner
 * restriction, so grant {@code user/} scopes to trusted staff applications only); no client writes the audit trail, and
 * only {@code user/} or {@code system/} scopes read it.
 */
class ScopeRules {

	static final String PATIENT_COMPARTMENT = "Patient";
	static final String EXTRACT_OPERATION = "$extract";
	static final String SUMMARY_OPERATION = "$alliance-summary";
	static final String AUDIT_EVENT = "AuditEvent";
	static final String EXPORT_OPERATION = "$export";
	static final String EXPORT_POLL_STATUS_OPERATION = "$export-poll-status";

	/** Published content that is the same for every patient. */
	private static final Set<String> DEFINITIONAL_TYPES = Set.of(
			"Questionnaire", "ObservationDefinition", "CodeSystem", "ValueSet", "ConceptMap", "StructureDefinition");

	/** Compartment parameters by which a resource belongs to a patient as its subject, not as its author. */
	static final Set<String> OWNING_PARAMETERS = Set.of("subject", "patient");

	/** R4 leaves Task out of the Patient compartment; here a task for a patient (an alert) belongs to it. */
	private final CompartmentSearchParameterModifications compartment =
			CompartmentSearchParameterModifications.fromAdditionalCompartmentParamNames("Task", Set.of("patient"));

	private final CompartmentSearchParameterModifications ownedOnly =
			CompartmentSearchParameterModifications.fromAdditionalCompartmentParamNames("Task", Set.of("patient"));

	ScopeRules(FhirContext fhirContext) {
		for (String type : fhirContext.getResourceTypes()) {
			for (RuntimeSearchParam parameter :
					fhirContext.getResourceDefinition(type).getSearchParamsForCompartmentName(PATIENT_COMPARTMENT)) {
				if (!OWNING_PARAMETERS.contains(parameter.getName())) {
					ownedOnly.addSPToOmitFromCompartment(type, parameter.getName());
				}
			}
		}
	}

	/** Without a token only the CapabilityStatement is open. */
	List<IAuthRule> anonymous() {
		return new RuleBuilder().allow().metadata().build();
	}

	List<IAuthRule> forToken(AccessToken token) {
		RuleBuilder rules = new RuleBuilder();
		rules.allow().metadata();
		rules.deny("The audit trail is written by the server only")
				.write()
				.resourcesOfType(AUDIT_EVENT)
				.withAnyId();
		rules.deny("The audit trail is written by the server only")
				.delete()
				.resourcesOfType(AUDIT_EVENT)
				.withAnyId();
		if (!mayReadAuditTrail(token)) {
			// the audit trail names other patients and staff: patient/ scopes never reach it, whatever compartment
			rules.deny("The audit trail is for user/ or system/ AuditEvent scopes only")
					.read()
					.resourcesOfType(AUDIT_EVENT)
					.withAnyId();
		}
		rules.allow().transaction().withAnyOperation().andApplyNormalRules();
		for (SmartScope scope : token.scopes()) {
			if (scope.context() != Context.PATIENT) {
				addAll(rules, scope);
			} else if (token.patient() != null) {
				addPatient(rules, scope, new IdType(PATIENT_COMPARTMENT, token.patient()));
			}
		}
		// the summary reads only through the caller's request: whatever it returns must pass the read rules above
		rules.allow()
				.operation()
				.named(SUMMARY_OPERATION)
				.onInstancesOfType(Patient.class)
				.andRequireExplicitResponseAuthorization();
		if (mayExtract(token)) {
			rules.allow()
					.operation()
					.named(EXTRACT_OPERATION)
					.onType(QuestionnaireResponse.class)
					.andAllowAllResponses();
			rules.allow()
					.operation()
					.named(EXTRACT_OPERATION)
					.onInstancesOfType(QuestionnaireResponse.class)
					.andAllowAllResponses();
		}
		addBulkExport(rules, token);
		return rules.build();
	}

	/**
	 * Bulk Data {@code $export} (system, Patient, Group) for backend services: the operation itself, and the types
	 * their {@code system/} read scopes cover (checked by HAPI when the export starts); the files are Binary reads,
	 * granted by the same scopes.
	 */
	private static void addBulkExport(RuleBuilder rules, AccessToken token) {
		List<SmartScope> reading = token.scopes().stream()
				.filter(s -> s.context() == Context.SYSTEM && s.allows(Permission.READ))
				.toList();
		if (reading.isEmpty()) {
			return;
		}
		if (reading.stream().anyMatch(s -> s.covers(SmartScope.ANY_TYPE))) {
			rules.allow().bulkExport().any();
		} else {
			rules.allow()
					.bulkExport()
					.any()
					.withResourceTypes(
							reading.stream().map(SmartScope::resourceType).collect(Collectors.toSet()));
		}
		rules.allow().operation().named(EXPORT_OPERATION).onServer().andAllowAllResponses();
		rules.allow().operation().named(EXPORT_OPERATION).onType(Patient.class).andAllowAllResponses();
		rules.allow()
				.operation()
				.named(EXPORT_OPERATION)
				.onInstancesOfType(Group.class)
				.andAllowAllResponses();
		rules.allow().operation().named(EXPORT_POLL_STATUS_OPERATION).onServer().andAllowAllResponses();
	}

	private void addAll(RuleBuilder rules, SmartScope scope) {
		String name = scope.toString();
		if (readable(scope)) {
			types(rules.allow(name).read(), scope).withAnyId().withTester(reading(scope));
		}
		if (scope.allows(Permission.CREATE)) {
			types(rules.allow(name).create(), scope).withAnyId();
		}
		if (scope.allows(Permission.UPDATE)) {
			types(rules.allow(name).write(), scope).withAnyId().withTester(UPDATING);
			rules.allow(name).patch().allRequests();
		}
		if (scope.allows(Permission.DELETE)) {
			types(rules.allow(name).delete(), scope).withAnyId();
		}
	}

	private void addPatient(RuleBuilder rules, SmartScope scope, IIdType patient) {
		String name = scope.toString();
		if (readable(scope)) {
			types(rules.allow(name).read(), scope)
					.inModifiedCompartment(PATIENT_COMPARTMENT, patient, compartment)
					.withTester(reading(scope));
			DEFINITIONAL_TYPES.stream().filter(scope::covers).forEach(type -> rules.allow(name)
					.read()
					.resourcesOfType(type)
					.withAnyId()
					.withTester(reading(scope)));
		}
		if (scope.allows(Permission.CREATE)) {
			owned(types(rules.allow(name).create(), scope), patient);
		}
		if (scope.allows(Permission.UPDATE)) {
			owned(types(rules.allow(name).write(), scope), patient).withTester(UPDATING);
			rules.allow(name).patch().allRequests();
		}
		if (scope.allows(Permission.DELETE)) {
			owned(types(rules.allow(name).delete(), scope), patient);
		}
	}

	private IAuthRuleBuilderRuleOpClassifierFinished owned(IAuthRuleBuilderRuleOpClassifier rule, IIdType patient) {
		return rule.inModifiedCompartment(PATIENT_COMPARTMENT, patient, ownedOnly);
	}

	private static IAuthRuleBuilderRuleOpClassifier types(IAuthRuleBuilderRuleOp rule, SmartScope scope) {
		return scope.covers(SmartScope.ANY_TYPE) ? rule.allResources() : rule.resourcesOfType(scope.resourceType());
	}

	private static boolean readable(SmartScope scope) {
		return scope.allows(Permission.READ) || scope.allows(Permission.SEARCH);
	}

	/** Only a {@code user/} or {@code system/} scope that reads or searches AuditEvents reaches the audit trail. */
	static boolean mayReadAuditTrail(AccessToken token) {
		return token.scopes().stream()
				.anyMatch(s -> s.context() != Context.PATIENT && s.covers(AUDIT_EVENT) && readable(s));
	}

	/** {@code $extract} reads responses and yields Observations: for staff and system clients that may read both. */
	private static boolean mayExtract(AccessToken token) {
		return Set.of("QuestionnaireResponse", "Observation").stream().allMatch(type -> token.scopes().stream()
				.anyMatch(s -> s.context() != Context.PATIENT && s.covers(type) && s.allows(Permission.READ)));
	}

	/** HAPI's read rules cover reads and searches alike; SMART v2 tells them apart ({@code r} and {@code s}). */
	private static IAuthRuleTester reading(SmartScope scope) {
		return new IAuthRuleTester() {
			@Override
			public boolean matches(RuleTestRequest request) {
				return scope.allows(readPermissionFor(request.operation));
			}

			@Override
			public boolean matchesOutput(RuleTestRequest request) {
				return matches(request);
			}
		};
	}

	/** HAPI's write rules cover creates too; SMART's {@code u} does not ({@code c} does). */
	private static final IAuthRuleTester UPDATING = new IAuthRuleTester() {
		@Override
		public boolean matches(RuleTestRequest request) {
			return request.operation != RestOperationTypeEnum.CREATE;
		}
	};

	static Permission readPermissionFor(RestOperationTypeEnum operation) {
		return switch (operation) {
			case SEARCH_TYPE, SEARCH_SYSTEM, GET_PAGE, HISTORY_TYPE, HISTORY_SYSTEM -> Permission.SEARCH;
			default -> Permission.READ;
		};
	}
}
