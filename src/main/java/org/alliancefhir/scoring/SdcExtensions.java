package org.alliancefhir.scoring;

/**
 * Canonical URLs of the SDC and core extensions that carry score and extraction rules in a Questionnaire; every
 * package reads them from here.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/expressions.html">SDC expressions</a>
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/extraction.html#observation-based-extraction">SDC extraction</a>
 */
public final class SdcExtensions {

	public static final String CALCULATED_EXPRESSION =
			"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";

	public static final String VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable";

	public static final String ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight";

	public static final String ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue";

	public static final String OBSERVATION_EXTRACT =
			"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observationExtract";

	public static final String OBSERVATION_EXTRACT_CATEGORY =
			"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observation-extract-category";

	public static final String QUESTIONNAIRE_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit";

	public static final String IS_SUBJECT =
			"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-isSubject";

	/** Translations of a text element ({@code lang}, {@code content}). */
	public static final String TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";

	/** The language of FHIRPath expressions ({@code Expression.language}). */
	public static final String FHIRPATH_LANGUAGE = "text/fhirpath";

	private SdcExtensions() {}
}
