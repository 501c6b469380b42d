package org.alliancefhir.extraction;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.Type;

/**
 * The rules for one answer value of a Questionnaire item, as HAPI's validator applies them: the value type the item
 * type demands, membership in the item's answer options, {@code minValue}/{@code maxValue},
 * {@code maxDecimalPlaces} and {@code maxLength}; plus which item rules it implements at all.
 */
final class AnswerRules {

	private static final String EXTENSIONS = "http://hl7.org/fhir/StructureDefinition/";
	private static final String MIN_VALUE = EXTENSIONS + "minValue";
	private static final String MAX_VALUE = EXTENSIONS + "maxValue";
	private static final String MAX_DECIMAL_PLACES = EXTENSIONS + "maxDecimalPlaces";

	/** Item extensions that constrain answers and that this class does not implement: HAPI's validator must run. */
	private static final Set<String> UNIMPLEMENTED = Set.of(
			EXTENSIONS + "minLength",
			EXTENSIONS + "regex",
			EXTENSIONS + "questionnaire-minOccurs",
			EXTENSIONS + "questionnaire-maxOccurs",
			EXTENSIONS + "questionnaire-constraint",
			EXTENSIONS + "minDecimalPlaces",
			EXTENSIONS + "mimeType",
			EXTENSIONS + "maxSize",
			"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression",
			"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-answerExpression");

	/** The value type each item type takes; choice items also take the primitive types of their options. */
	private static final Map<QuestionnaireItemType, String> VALUE_TYPES = Map.ofEntries(
			Map.entry(QuestionnaireItemType.BOOLEAN, "boolean"),
			Map.entry(QuestionnaireItemType.DECIMAL, "decimal"),
			Map.entry(QuestionnaireItemType.INTEGER, "integer"),
			Map.entry(QuestionnaireItemType.DATE, "date"),
			Map.entry(QuestionnaireItemType.DATETIME, "dateTime"),
			Map.entry(QuestionnaireItemType.TIME, "time"),
			Map.entry(QuestionnaireItemType.STRING, "string"),
			Map.entry(QuestionnaireItemType.TEXT, "string"),
			Map.entry(QuestionnaireItemType.URL, "uri"),
			Map.entry(QuestionnaireItemType.ATTACHMENT, "Attachment"),
			Map.entry(QuestionnaireItemType.REFERENCE, "Reference"),
			Map.entry(QuestionnaireItemType.QUANTITY, "Quantity"));

	private static final Set<String> CHOICE_TYPES = Set.of("Coding", "date", "time", "integer", "string");

	private AnswerRules() {}

	static boolean coversRoot(Questionnaire questionnaire) {
		return questionnaire.getExtension().stream().noneMatch(e -> UNIMPLEMENTED.contains(e.getUrl()));
	}

	/** Whether every rule on this item (not its children) is one {@link #check} implements. */
	static boolean covers(QuestionnaireItemComponent item) {
		QuestionnaireItemType type = item.getType();
		if (type == null || type == QuestionnaireItemType.NULL || type == QuestionnaireItemType.QUESTION) {
			return false;
		}
		if (item.hasEnableWhen() || (item.hasAnswerValueSet() && !item.hasAnswerOption())) {
			return false;
		}
		for (Extension extension : item.getExtension()) {
			if (UNIMPLEMENTED.contains(extension.getUrl())) {
				return false;
			}
			boolean bound = MIN_VALUE.equals(extension.getUrl()) || MAX_VALUE.equals(extension.getUrl());
			if (bound
					&& !(extension.getValue() instanceof DecimalType || extension.getValue() instanceof IntegerType)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Adds a problem for each rule the answer's value breaks; locations and wording follow HAPI's validator (the
	 * answer, or its {@code value.ofType(<type>)}), each message naming the item.
	 */
	static void check(QuestionnaireItemComponent item, Type value, String answer, ResponseProblems problems) {
		String linkId = item.getLinkId();
		String type = value.fhirType();
		String at = answer + ".value.ofType(" + type + ")";
		boolean choice =
				item.getType() == QuestionnaireItemType.CHOICE || item.getType() == QuestionnaireItemType.OPENCHOICE;
		String expected = choice ? null : VALUE_TYPES.get(item.getType());
		if (choice ? !CHOICE_TYPES.contains(type) : !type.equals(expected)) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + linkId + "': the answer must be of the type " + (choice ? "Coding" : expected) + " not "
							+ type);
			return;
		}
		if (value instanceof PrimitiveType<?> primitive && primitive.getValue() == null) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + linkId + "': '" + primitive.getValueAsString() + "' is not a valid " + type);
			return;
		}
		if (choice) {
			option(item, value, answer, at, problems);
		}
		if (value instanceof DecimalType || value instanceof IntegerType) {
			bounds(item, new BigDecimal(value.primitiveValue()), at, problems);
		}
		if (value instanceof DecimalType decimal) {
			decimalPlaces(item, decimal, at, problems);
		}
		if (value instanceof BaseDateTimeType dateTime) {
			DateTimeRules.check(dateTime, at, problems);
		}
		if (type.equals("string")
				&& item.hasMaxLength()
				&& value.primitiveValue().length() > item.getMaxLength()) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + linkId + "': the answer has "
							+ value.primitiveValue().length() + " characters, more than the allowed maximum of "
							+ item.getMaxLength());
		}
	}

	private static void option(
			QuestionnaireItemComponent item, Type value, String answer, String at, ResponseProblems problems) {
		if (!item.hasAnswerOption()) {
			return;
		}
		String type = value.fhirType();
		boolean open = item.getType() == QuestionnaireItemType.OPENCHOICE;
		List<Type> options = item.getAnswerOption().stream()
				.map(QuestionnaireItemAnswerOptionComponent::getValue)
				.filter(o -> o != null && o.fhirType().equals(type))
				.toList();
		if (open && (type.equals("string") || value instanceof Coding coding && !coding.hasCode())) {
			return;
		}
		if (options.isEmpty()) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + item.getLinkId() + "': option list has no option values of type " + type);
		} else if (options.stream().noneMatch(option -> sameOption(option, value))) {
			problems.add(
					IssueType.INVALID,
					answer,
					"Item '" + item.getLinkId() + "': the code " + describe(value)
							+ " is not in the set of permitted values (the item's answer options: "
							+ options.stream().map(AnswerRules::describe).collect(Collectors.joining(", ")) + ")");
		}
	}

	private static boolean sameOption(Type option, Type value) {
		if (option instanceof Coding allowed && value instanceof Coding given) {
			return Objects.equals(allowed.getSystem(), given.getSystem())
					&& Objects.equals(allowed.getCode(), given.getCode());
		}
		return Objects.equals(option.primitiveValue(), value.primitiveValue());
	}

	private static void bounds(
			QuestionnaireItemComponent item, BigDecimal number, String at, ResponseProblems problems) {
		// HAPI's parser has expanded 1e400 to 401 digits: name such a value as 1E+400
		String text = number.precision() > 30 ? number.stripTrailingZeros().toString() : number.toPlainString();
		Extension min = item.getExtensionByUrl(MIN_VALUE);
		if (min != null && number.compareTo(new BigDecimal(min.getValue().primitiveValue())) < 0) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + item.getLinkId() + "': the value " + text + " is less than the allowed minimum of "
							+ min.getValue().primitiveValue());
		}
		Extension max = item.getExtensionByUrl(MAX_VALUE);
		if (max != null && number.compareTo(new BigDecimal(max.getValue().primitiveValue())) > 0) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + item.getLinkId() + "': the value " + text + " is greater than the allowed maximum of "
							+ max.getValue().primitiveValue());
		}
	}

	private static void decimalPlaces(
			QuestionnaireItemComponent item, DecimalType decimal, String at, ResponseProblems problems) {
		Extension limit = item.getExtensionByUrl(MAX_DECIMAL_PLACES);
		if (limit == null || !(limit.getValue() instanceof IntegerType places)) {
			return;
		}
		String text = decimal.getValueAsString();
		int dot = text.indexOf('.');
		int decimals = dot < 0 ? 0 : text.length() - dot - 1;
		if (decimals > places.getValue()) {
			problems.add(
					IssueType.INVALID,
					at,
					"Item '" + item.getLinkId() + "': the value " + text + " has too many decimal places (" + decimals
							+ ", limit = " + places.getValue() + ")");
		}
	}

	private static String describe(Type value) {
		return value instanceof Coding coding ? coding.getSystem() + "::" + coding.getCode() : value.primitiveValue();
	}
}
