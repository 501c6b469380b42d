package org.alliancefhir.content;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.alliancefhir.scoring.FhirPathEngines;
import org.alliancefhir.scoring.ScoringEngine;
import org.alliancefhir.scoring.SdcExtensions;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ObservationDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;

/**
 * Checks that the content hangs together before it is installed: names, canonical identity, linkIds, codes that
 * exist in the content's own CodeSystems, equal weights in both SDC weight extensions, FHIRPath expressions within
 * their bounds and score expressions that compile. Every problem is
 * reported with its file; the full profile validation against the FHIR specification runs in the test suite.
 */
class ContentChecker {

	private final QuestionnaireExpressions expressions;

	ContentChecker(ScoringEngine scoringEngine) {
		this.expressions =
				new QuestionnaireExpressions(FhirPathEngines.forSyntax(FhirContext.forR4Cached()), scoringEngine);
	}

	List<String> check(List<ContentFile> content) {
		List<String> problems = new ArrayList<>();
		Map<String, CodeSystem> codeSystems = new HashMap<>();
		Set<String> canonicals = new HashSet<>();
		Set<String> fileIds = new HashSet<>();
		for (ContentFile file : content) {
			checkNaming(file, problems);
			if (!fileIds.add(file.resourceType() + "/" + file.id())) {
				problems.add(file.fileName() + ": duplicate id " + file.id());
			}
			if (file.resource() instanceof MetadataResource metadata) {
				checkCanonical(file, metadata, canonicals, problems);
			}
			if (file.resource() instanceof CodeSystem codeSystem) {
				codeSystems.put(codeSystem.getUrl(), codeSystem);
			}
		}
		for (ContentFile file : content) {
			if (file.resource() instanceof Questionnaire questionnaire) {
				checkQuestionnaire(file.fileName(), questionnaire, codeSystems, problems);
				checkScoringRules(file.fileName(), questionnaire, problems);
			} else if (file.resource() instanceof ObservationDefinition definition) {
				definition
						.getCode()
						.getCoding()
						.forEach(c -> checkCode(file.fileName(), "code", c, codeSystems, problems));
			}
		}
		return problems;
	}

	private static void checkNaming(ContentFile file, List<String> problems) {
		String expected = file.resourceType() + "-" + file.id() + ".json";
		if (file.id() == null) {
			problems.add(file.fileName() + ": the resource has no id");
		} else if (!expected.equals(file.fileName())) {
			problems.add(file.fileName() + ": file name must be " + expected);
		}
	}

	private static void checkCanonical(
			ContentFile file, MetadataResource metadata, Set<String> canonicals, List<String> problems) {
		if (!metadata.hasUrl() || !metadata.hasVersion()) {
			problems.add(file.fileName() + ": a canonical resource needs both url and version");
		} else if (!canonicals.add(file.canonical())) {
			problems.add(file.fileName() + ": " + file.canonical() + " is defined twice");
		}
		if (!metadata.hasStatus()) {
			problems.add(file.fileName() + ": status is missing");
		}
	}

	private static void checkQuestionnaire(
			String fileName, Questionnaire questionnaire, Map<String, CodeSystem> codeSystems, List<String> problems) {
		Set<String> linkIds = new HashSet<>();
		walk(questionnaire.getItem(), item -> {
			String where = fileName + ": item " + item.getLinkId();
			if (!item.hasLinkId()) {
				problems.add(fileName + ": an item has no linkId");
			} else if (!linkIds.add(item.getLinkId())) {
				problems.add(where + " is defined twice");
			}
			item.getCode().forEach(c -> checkCode(fileName, "item " + item.getLinkId(), c, codeSystems, problems));
			item.getAnswerOption().forEach(option -> {
				if (option.hasValueCoding()) {
					checkCode(fileName, "item " + item.getLinkId(), option.getValueCoding(), codeSystems, problems);
				}
				if (option.hasExtension(SdcExtensions.ITEM_WEIGHT)
						&& option.hasExtension(SdcExtensions.ORDINAL_VALUE)
						&& !option.getExtensionByUrl(SdcExtensions.ITEM_WEIGHT)
								.getValue()
								.equalsDeep(option.getExtensionByUrl(SdcExtensions.ORDINAL_VALUE)
										.getValue())) {
					problems.add(where + ": itemWeight and ordinalValue differ on an answer option");
				}
			});
		});
	}

	/**
	 * Checks every FHIRPath expression and compiles the score rules, which also warms the engine's cache for the first
	 * responses.
	 */
	private void checkScoringRules(String fileName, Questionnaire questionnaire, List<String> problems) {
		expressions.problems(questionnaire).forEach(problem -> problems.add(fileName + ": " + problem));
	}

	private static void checkCode(
			String fileName, String where, Coding coding, Map<String, CodeSystem> codeSystems, List<String> problems) {
		CodeSystem system = codeSystems.get(coding.getSystem());
		if (system != null && !containsCode(system.getConcept(), coding.getCode())) {
			problems.add(fileName + ": " + where + " uses code " + coding.getCode() + " that " + coding.getSystem()
					+ " does not define");
		}
	}

	private static boolean containsCode(List<CodeSystem.ConceptDefinitionComponent> concepts, String code) {
		for (CodeSystem.ConceptDefinitionComponent concept : concepts) {
			if (concept.getCode().equals(code) || containsCode(concept.getConcept(), code)) {
				return true;
			}
		}
		return false;
	}

	private static void walk(List<QuestionnaireItemComponent> items, Consumer<QuestionnaireItemComponent> visitor) {
		for (QuestionnaireItemComponent item : items) {
			visitor.accept(item);
			walk(item.getItem(), visitor);
		}
	}
}
