package org.alliancefhir.extraction;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.alliancefhir.content.QuestionnaireCatalog;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Questionnaire;

/**
 * Serves the validator the exact Questionnaire version a response names, from the {@link QuestionnaireCatalog},
 * ahead of HAPI's JPA support that ignores the version of {@code url|version} (hapifhir/hapi-fhir#3157, #7354), with
 * its answer ValueSets turned into answer options ({@link AnswerValueSets}), so HAPI needs no CodeSystem for them.
 */
class CatalogQuestionnaireSupport implements IValidationSupport {

	private final FhirContext fhirContext;
	private final QuestionnaireCatalog catalog;
	private final AnswerValueSets answerValueSets;

	CatalogQuestionnaireSupport(
			FhirContext fhirContext, QuestionnaireCatalog catalog, AnswerValueSets answerValueSets) {
		this.fhirContext = fhirContext;
		this.catalog = catalog;
		this.answerValueSets = answerValueSets;
	}

	@Override
	public <T extends IBaseResource> T fetchResource(Class<T> type, String url) {
		if (type == null || !type.isAssignableFrom(Questionnaire.class)) {
			return null;
		}
		return catalog.find(url).map(answerValueSets::resolve).map(type::cast).orElse(null);
	}

	@Override
	public FhirContext getFhirContext() {
		return fhirContext;
	}

	@Override
	public String getName() {
		return "Alliance Questionnaire catalog";
	}
}
