package org.alliancefhir.extraction;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.IModelVisitor2;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * Refuses responses nested deeper than the instance validator can take: it re-reads the response with Gson, whose
 * limit of 255 JSON levels (about 127 element levels) turned a response with 200 levels of {@code item.item} into
 * HTTP 500. The shipped instruments nest about 8 element levels deep.
 */
class NestingLimit {

	static final int MAX_ELEMENT_DEPTH = 64;

	private final FhirContext fhirContext;

	NestingLimit(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	void check(QuestionnaireResponse response) {
		boolean[] tooDeep = {false};
		fhirContext.newTerser().visit(response, new IModelVisitor2() {
			@Override
			public boolean acceptElement(
					IBase element,
					List<IBase> containingElementPath,
					List<BaseRuntimeChildDefinition> childDefinitionPath,
					List<BaseRuntimeElementDefinition<?>> elementDefinitionPath) {
				if (containingElementPath.size() > MAX_ELEMENT_DEPTH) {
					tooDeep[0] = true;
				}
				return !tooDeep[0];
			}
		});
		if (tooDeep[0]) {
			throw ResponseProblems.reject(
					IssueType.TOOCOSTLY,
					"QuestionnaireResponse",
					"The response nests elements more than " + MAX_ELEMENT_DEPTH
							+ " levels deep; no Questionnaire on this server nests that deep");
		}
	}
}
