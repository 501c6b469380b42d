package org.alliancefhir.extraction;

import org.alliancefhir.scoring.SdcExtensions;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;

/**
 * How an item takes part in SDC Observation-based extraction: its own {@code observationExtract} value, where
 * {@code true}/{@code false} are inherited down the item tree and {@code component} makes the item a component of
 * its parent's Observation.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/extraction.html#observation-based-extraction">SDC extraction</a>
 */
enum ExtractionRule {
	EXTRACT,
	COMPONENT,
	SKIP;

	/** The rule of an item, given the inherited one of its parent. */
	static ExtractionRule of(QuestionnaireItemComponent item, ExtractionRule inherited) {
		Extension extension = item.getExtensionByUrl(SdcExtensions.OBSERVATION_EXTRACT);
		if (extension == null) {
			return inherited == COMPONENT ? SKIP : inherited;
		}
		if (extension.getValue() instanceof BooleanType flag) {
			return flag.booleanValue() ? EXTRACT : SKIP;
		}
		if (extension.getValue() instanceof CodeType code && "component".equals(code.getValue())) {
			return COMPONENT;
		}
		return SKIP;
	}
}
