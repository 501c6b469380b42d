package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.junit.jupiter.api.Test;

/** The shipped rules read cleanly, and a rule that cannot be read is refused naming its PlanDefinition and action. */
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
		assertThat(drop.urgent()).isTrue();
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
				.containsExactly("split-range", "split-sd", "split-max-pair-difference", "split-opposite-signs");
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

	private static PlanDefinition plan(String id) throws Exception {
		return FHIR.newJsonParser()
				.parseResource(
						PlanDefinition.class, Files.readString(Path.of("profiles/PlanDefinition-" + id + ".json")));
	}
}
