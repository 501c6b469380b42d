package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules read cleanly with their priority, Flag and on/off switch, and a rule that cannot be read is refused
 * naming its PlanDefinition and action.
 */
class FeedbackRuleReaderTests {

	private static final FhirContext FHIR = FhirContext.forR4Cached();
	private final FeedbackRuleReader reader = new FeedbackRuleReader(new RuleExpressions(FHIR).engine());

	@Test
	void readsTheShippedSrsRules() throws Exception {
		List<FeedbackRule> rules = reader.read(plan("srs-feedback"));

		FeedbackRule drop = rules.stream()
				.filter(r -> r.id().equals("srs-drop"))
				.findFirst()
				.orElseThrow();
		assertThat(drop.kind()).isEqualTo(FeedbackRule.Kind.ALERT);
		assertThat(drop.priority()).isEqualTo(Task.TaskPriority.ROUTINE);
		assertThat(drop.flag()).isFalse();
		assertThat(drop.enabled()).isTrue();
		FeedbackRule belowCutOff = rules.stream()
				.filter(r -> r.id().equals("srs-below-cut-off"))
				.findFirst()
				.orElseThrow();
		assertThat(belowCutOff.priority()).isEqualTo(Task.TaskPriority.URGENT);
		assertThat(belowCutOff.flag()).isTrue();
		assertThat(drop.alertCode().getCode()).isEqualTo("alert-drop");
		assertThat(drop.triggerCodes()).extracting(Coding::getCode).containsExactly("srs-total");
		assertThat(drop.messageEn()).startsWith("SRS dropped");
		assertThat(drop.planDefinition()).isEqualTo("https://alliancefhir.org/fhir/PlanDefinition/srs-feedback|1.0.0");
		FeedbackRule change = rules.stream()
				.filter(r -> r.id().equals("srs-change"))
				.findFirst()
				.orElseThrow();
		assertThat(change.kind()).isEqualTo(FeedbackRule.Kind.COMPARISON);
		assertThat(change.output().getCode()).isEqualTo("srs-total-change");
		assertThat(change.interpretation()).isNotNull();
	}

	@Test
	void readsSplitRulesWithTheirIndices() throws Exception {
		FeedbackRule split = reader.read(plan("softa-feedback")).stream()
				.filter(r -> r.id().equals("softa-o-engagement-split"))
				.findFirst()
				.orElseThrow();

		assertThat(split.kind()).isEqualTo(FeedbackRule.Kind.SPLIT);
		assertThat(split.splitIndices())
				.containsExactly("split-family-range", "split-family-sd", "split-family-opposite-signs");
	}

	@Test
	void unnormedRulesAreOffByDefaultOrInformational() throws Exception {
		List<FeedbackRule> rules = List.of("srs-feedback", "wav-12-feedback", "softa-feedback").stream()
				.flatMap(id -> read(id).stream())
				.toList();

		assertThat(rules)
				.filteredOn(r -> r.id().endsWith("-drop") && !r.id().contains("srs"))
				.extracting(FeedbackRule::id)
				.containsExactlyInAnyOrder(
						"wav-12-client-drop", "wav-12-therapist-drop", "softa-s-client-drop", "softa-s-therapist-drop");
		assertThat(rules)
				.filteredOn(r -> r.id().endsWith("-drop") && !r.id().contains("srs"))
				.allSatisfy(r -> {
					assertThat(r.enabled()).as(r.id()).isFalse();
					assertThat(r.flag()).as(r.id()).isFalse();
					assertThat(r.messageNl()).as(r.id()).contains("(niet genormeerd)");
				});
		assertThat(rules)
				.filteredOn(r -> r.id().equals("csrs-below-cut-off") || r.id().equals("gsrs-below-cut-off"))
				.hasSize(2)
				.allSatisfy(r -> {
					assertThat(r.priority()).isEqualTo(Task.TaskPriority.ROUTINE);
					assertThat(r.flag()).isFalse();
					assertThat(r.messageNl()).contains("(niet genormeerd)");
				});
	}

	@Test
	void theFlagFollowsThePriorityUnlessTheRuleSaysOtherwise() throws Exception {
		PlanDefinition plan = plan("srs-feedback");
		PlanDefinition.PlanDefinitionActionComponent drop = action(plan, "srs-drop");
		drop.addCode().addCoding(new Coding(FeedbackIdentifiers.CODE_SYSTEM, "banner-flag", null));
		PlanDefinition.PlanDefinitionActionComponent below = action(plan, "srs-below-cut-off");
		below.addCode().addCoding(new Coding(FeedbackIdentifiers.CODE_SYSTEM, "no-banner-flag", null));
		below.addCode().addCoding(new Coding(FeedbackIdentifiers.CODE_SYSTEM, "disabled", null));

		List<FeedbackRule> rules = reader.read(plan);

		assertThat(rule(rules, "srs-drop").flag()).isTrue();
		assertThat(rule(rules, "srs-drop").priority()).isEqualTo(Task.TaskPriority.ROUTINE);
		assertThat(rule(rules, "srs-below-cut-off").flag()).isFalse();
		assertThat(rule(rules, "srs-below-cut-off").priority()).isEqualTo(Task.TaskPriority.URGENT);
		assertThat(rule(rules, "srs-below-cut-off").enabled()).isFalse();
	}

	@Test
	void theOrsRulesAskForTheSessionNumberOnlyWhereTheyUseIt() throws Exception {
		List<FeedbackRule> rules = read("ors-feedback");

		assertThat(rule(rules, "ors-no-reliable-improvement").usesSessionNumber())
				.isTrue();
		assertThat(rule(rules, "ors-no-reliable-improvement").usesFirst()).isTrue();
		assertThat(rule(rules, "ors-reliable-deterioration").usesSessionNumber())
				.isFalse();
		assertThat(rule(rules, "ors-reliable-deterioration").alertCode().getCode())
				.isEqualTo("alert-reliable-deterioration");
	}

	@Test
	void aStopConditionIsReadApartFromTheApplicabilityConditionAndAStartConditionIsRefused() throws Exception {
		List<FeedbackRule> rules = read("ors-feedback");

		assertThat(rule(rules, "ors-intake-below-cut-off").stop()).isNotNull();
		assertThat(new RuleExpressions(FHIR)
						.isTrue(rule(rules, "ors-intake-below-cut-off").stop(), java.util.Map.of(), new Observation()))
				.as("later sessions never end the intake alert")
				.isFalse();
		assertThat(rule(rules, "ors-reliable-deterioration").stop()).isNull();

		PlanDefinition plan = plan("srs-feedback");
		action(plan, "srs-drop")
				.addCondition()
				.setKind(PlanDefinition.ActionConditionKind.START)
				.getExpression()
				.setLanguage("text/fhirpath")
				.setExpression("true");
		assertThatThrownBy(() -> reader.read(plan))
				.hasMessageContaining("action srs-drop")
				.hasMessageContaining("start conditions are not supported");
	}

	@Test
	void everyShippedRuleIsReadable() throws Exception {
		for (String id : List.of("srs-feedback", "ors-feedback", "wav-12-feedback", "softa-feedback")) {
			assertThat(reader.read(plan(id))).as(id).isNotEmpty();
		}
	}

	@Test
	void aConditionThatDoesNotParseIsRefusedWithItsAction() throws Exception {
		PlanDefinition plan = plan("srs-feedback");
		plan.getActionFirstRep().getConditionFirstRep().getExpression().setExpression("%change <= ");

		assertThatThrownBy(() -> reader.read(plan))
				.hasMessageContaining("PlanDefinition https://alliancefhir.org/fhir/PlanDefinition/srs-feedback")
				.hasMessageContaining("action " + plan.getActionFirstRep().getId());
	}

	@Test
	void aRuleWithoutKindOrWithAnUnknownIndexIsRefused() throws Exception {
		PlanDefinition noKind = plan("srs-feedback");
		noKind.getActionFirstRep()
				.getCode()
				.removeIf(c -> c.getCodingFirstRep().getCode().startsWith("rule-"));
		assertThatThrownBy(() -> reader.read(noKind)).hasMessageContaining("names no rule kind");

		PlanDefinition unknownIndex = plan("softa-feedback");
		unknownIndex.getAction().stream()
				.filter(a -> a.getId().equals("softa-o-engagement-split"))
				.findFirst()
				.orElseThrow()
				.addCode()
				.addCoding(new Coding(FeedbackIdentifiers.CODE_SYSTEM, "split-median", null));
		assertThatThrownBy(() -> reader.read(unknownIndex)).hasMessageContaining("unknown split index split-median");
	}

	private List<FeedbackRule> read(String id) {
		try {
			return reader.read(plan(id));
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	private static FeedbackRule rule(List<FeedbackRule> rules, String id) {
		return rules.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
	}

	private static PlanDefinition.PlanDefinitionActionComponent action(PlanDefinition plan, String id) {
		return plan.getAction().stream()
				.filter(a -> a.getId().equals(id))
				.findFirst()
				.orElseThrow();
	}

	private static PlanDefinition plan(String id) throws Exception {
		return FHIR.newJsonParser()
				.parseResource(
						PlanDefinition.class, Files.readString(Path.of("profiles/PlanDefinition-" + id + ".json")));
	}
}
