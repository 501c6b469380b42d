package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.util.UrlUtil;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.alliancefhir.security.SmartScope.Context;
import org.alliancefhir.security.SmartScope.Permission;

/**
 * Decides whether a token may know what a match URL (the search of a conditional create, update, patch or delete, or
 * of a conditional reference) matches, judged from the URL alone so the answer never depends on what it matches: a
 * {@code user/} or {@code system/} scope must grant searching the type, a {@code patient/} scope must grant searching
 * it and the URL must confine the match to the token's patient ({@code subject=Patient/<id>}, {@code patient=...},
 * or {@code _id=<id>} on Patient), with no other value in that parameter.
 */
class MatchUrlRules {

	private static final String ID_PARAMETER = "_id";

	/** Search parameters by which a resource of a type belongs to a patient as its subject. */
	private final Map<String, Set<String>> owningParameters = new HashMap<>();

	MatchUrlRules(FhirContext fhirContext) {
		for (String type : fhirContext.getResourceTypes()) {
			Set<String> names = fhirContext
					.getResourceDefinition(type)
					.getSearchParamsForCompartmentName(ScopeRules.PATIENT_COMPARTMENT)
					.stream()
					.map(RuntimeSearchParam::getName)
					.filter(ScopeRules.OWNING_PARAMETERS::contains)
					.collect(Collectors.toSet());
			owningParameters.put(type, names);
		}
		// as in ScopeRules: a task for a patient (an alert) belongs to it, though R4 leaves Task out of the compartment
		owningParameters.put("Task", Set.of("patient"));
	}

	/**
	 * @param matchUrl {@code Type?params} or {@code params}
	 * @param defaultType the type searched when the URL names none
	 */
	boolean maySearch(AccessToken token, String matchUrl, String defaultType) {
		int question = matchUrl.indexOf('?');
		String type = question < 0 ? defaultType : typeOf(matchUrl.substring(0, question), defaultType);
		Map<String, String[]> parameters =
				UrlUtil.parseQueryString(question < 0 ? matchUrl : matchUrl.substring(question + 1));
		return token.scopes().stream()
				.filter(scope -> scope.covers(type) && scope.allows(Permission.SEARCH))
				.anyMatch(scope -> scope.context() != Context.PATIENT
						|| (token.patient() != null && confined(type, parameters, token.patient())));
	}

	private boolean confined(String type, Map<String, String[]> parameters, String patient) {
		if (ScopeRules.PATIENT_COMPARTMENT.equals(type)) {
			return onlyValue(parameters.get(ID_PARAMETER), patient)
					|| onlyValue(parameters.get(ID_PARAMETER), ScopeRules.PATIENT_COMPARTMENT + "/" + patient);
		}
		String reference = ScopeRules.PATIENT_COMPARTMENT + "/" + patient;
		return owningParameters.getOrDefault(type, Set.of()).stream()
				.anyMatch(name -> onlyValue(parameters.get(name), reference));
	}

	/** Whether one occurrence of the parameter (occurrences are and-ed) has exactly this value and no alternative. */
	private static boolean onlyValue(String[] occurrences, String value) {
		return occurrences != null && Arrays.asList(occurrences).contains(value);
	}

	/** The type of {@code Type}, {@code /Type} or {@code http://base/Type}; the default when there is none. */
	private static String typeOf(String path, String defaultType) {
		String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
		return last.isEmpty() ? defaultType : last;
	}
}
