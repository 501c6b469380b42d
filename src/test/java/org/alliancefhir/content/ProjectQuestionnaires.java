package org.alliancefhir.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Questionnaire;

/** Serves the validator the project's Questionnaires by url and url|version, which PrePopulatedValidationSupport drops. */
class ProjectQuestionnaires implements IValidationSupport {

	private final FhirContext fhirContext;
	private final Map<String, Questionnaire> byCanonical = new HashMap<>();
	private final Set<String> served = ConcurrentHashMap.newKeySet();

	ProjectQuestionnaires(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	void add(Questionnaire questionnaire) {
		byCanonical.put(questionnaire.getUrl(), questionnaire);
		byCanonical.put(questionnaire.getUrl() + "|" + questionnaire.getVersion(), questionnaire);
	}

	Questionnaire get(String canonical) {
		return byCanonical.get(canonical);
	}

	/** The canonicals the validator has asked for and been given. */
	Set<String> served() {
		return served;
	}

	@Override
	public <T extends IBaseResource> T fetchResource(Class<T> type, String url) {
		if (type == null || !type.isAssignableFrom(Questionnaire.class) || !byCanonical.containsKey(url)) {
			return null;
		}
		served.add(url);
		return type.cast(byCanonical.get(url));
	}

	@Override
	public FhirContext getFhirContext() {
		return fhirContext;
	}

	@Override
	public String getName() {
		return "Alliance Questionnaires";
	}
}
