package org.alliancefhir.cds;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * Builds the cards: one per open alert Task (indicator by its priority), one per active Flag that no open Task
 * already shows, and one per score code whose latest score lies below its cut-off (interpretation {@code L}) and
 * has no open alert. Nothing that needs attention gives no cards.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#card-attributes">CDS Hooks cards</a>
 */
final class AllianceCards {

	static final int SUMMARY_LIMIT = 140;
	private static final String FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail";
	private static final String INTERPRETATION_SYSTEM =
			"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

	private final CdsCard.Source source;
	private final CdsCard.Link appLink;

	/** @param appLink the SMART link to the clinician app, or {@code null} when there is none */
	AllianceCards(CdsCard.Source source, CdsCard.Link appLink) {
		this.source = source;
		this.appLink = appLink;
	}

	List<CdsCard> cards(AllianceRecords records) {
		List<CdsCard> cards = new ArrayList<>();
		Set<String> alerted = new HashSet<>();
		for (Task task : resources(records.get(CdsServiceCatalog.TASKS), Task.class)) {
			alerted.add(reference(task.getFocus()));
			cards.add(card(task.getDescription(), detail(task.getCode().getText()), indicator(task.getPriority())));
		}
		for (Flag flag : resources(records.get(CdsServiceCatalog.FLAGS), Flag.class)) {
			Extension detail = flag.getExtensionByUrl(FLAG_DETAIL);
			String score = detail != null && detail.getValue() instanceof Reference r ? reference(r) : "";
			if (alerted.add(score.isEmpty() ? "Flag/" + flag.getIdPart() : score)) {
				cards.add(card(flag.getCode().getText(), null, CdsCard.Indicator.CRITICAL));
			}
		}
		for (Observation score : latestPerCode(resources(records.get(CdsServiceCatalog.SCORES), Observation.class))) {
			if (belowCutOff(score) && !alerted.contains("Observation/" + score.getIdPart())) {
				cards.add(card(scoreSummary(score), null, CdsCard.Indicator.INFO));
			}
		}
		return cards;
	}

	private CdsCard card(String summary, String detail, CdsCard.Indicator indicator) {
		return new CdsCard(
				UUID.randomUUID().toString(),
				shorten(summary == null || summary.isBlank() ? "Alliantie-signaal voor deze cliënt" : summary),
				detail,
				indicator,
				source,
				appLink == null ? List.of() : List.of(appLink));
	}

	static CdsCard.Indicator indicator(Task.TaskPriority priority) {
		if (priority == null) {
			return CdsCard.Indicator.WARNING;
		}
		return switch (priority) {
			case STAT, ASAP, URGENT -> CdsCard.Indicator.CRITICAL;
			case ROUTINE -> CdsCard.Indicator.WARNING;
			default -> CdsCard.Indicator.WARNING;
		};
	}

	private static String scoreSummary(Observation score) {
		String name = score.getCode().hasText()
				? score.getCode().getText()
				: score.getCode().getCodingFirstRep().getDisplay();
		String value = score.getValueQuantity().getValue().toPlainString().replace('.', ',');
		String date = score.hasEffectiveDateTimeType()
				? " op " + score.getEffectiveDateTimeType().getValueAsString().substring(0, 10)
				: "";
		return "Laatste " + name + " " + value + date + ": onder de grenswaarde, bespreek de samenwerking";
	}

	private static String detail(String text) {
		return text == null || text.isBlank() ? null : text;
	}

	static String shorten(String text) {
		return text.length() <= SUMMARY_LIMIT ? text : text.substring(0, SUMMARY_LIMIT - 1) + "…";
	}

	private static boolean belowCutOff(Observation score) {
		return score.hasValueQuantity()
				&& score.getInterpretation().stream()
						.flatMap(c -> c.getCoding().stream())
						.anyMatch(c -> INTERPRETATION_SYSTEM.equals(c.getSystem()) && "L".equals(c.getCode()));
	}

	/** The newest score of each code; the search sorts by date, newest first. */
	private static List<Observation> latestPerCode(List<Observation> scores) {
		Map<String, Observation> latest = new LinkedHashMap<>();
		for (Observation score : scores) {
			if (score.getStatus() == Observation.ObservationStatus.ENTEREDINERROR) {
				continue;
			}
			Coding code = score.getCode().getCodingFirstRep();
			Observation known = latest.get(code.getSystem() + "|" + code.getCode());
			if (known == null || effective(score) > effective(known)) {
				latest.put(code.getSystem() + "|" + code.getCode(), score);
			}
		}
		return List.copyOf(latest.values());
	}

	private static long effective(Observation score) {
		return score.hasEffectiveDateTimeType()
				? score.getEffectiveDateTimeType().getValue().getTime()
				: 0;
	}

	private static String reference(Reference reference) {
		return reference.getReferenceElement().toUnqualifiedVersionless().getValue();
	}

	private static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
		return bundle.getEntry().stream()
				.map(Bundle.BundleEntryComponent::getResource)
				.filter(type::isInstance)
				.map(type::cast)
				.toList();
	}
}
