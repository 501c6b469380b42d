package org.alliancefhir.cds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CDS services this server offers, with the prefetch templates the EHR may fill in: one service per hook, all
 * answering with the same alliance cards.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#discovery">CDS Hooks discovery</a>
 */
final class CdsServiceCatalog {

	static final String TASKS = "tasks";
	static final String FLAGS = "flags";
	static final String SCORES = "scores";

	/** Open alerts (Tasks), active Flags and the latest survey scores of the patient in context. */
	static final Map<String, String> PREFETCH = prefetch();

	static final List<CdsService> SERVICES = List.of(
			new CdsService(
					"patient-view",
					"alliance-patient-view",
					"Alliantie-signalen bij het openen van het dossier",
					"Cards for the patient's open therapeutic-alliance alerts (Tasks, active Flags) and latest scores"
							+ " below their cut-off",
					PREFETCH),
			new CdsService(
					"encounter-start",
					"alliance-encounter-start",
					"Alliantie-signalen bij de start van een contact",
					"The same cards when an encounter starts, so the alliance can be discussed in the session",
					PREFETCH));

	private CdsServiceCatalog() {}

	static Optional<CdsService> find(String id) {
		return SERVICES.stream().filter(s -> s.id().equals(id)).findFirst();
	}

	private static Map<String, String> prefetch() {
		Map<String, String> templates = new LinkedHashMap<>();
		templates.put(
				TASKS,
				"Task?patient={{context.patientId}}&status=requested,received,accepted,ready,in-progress,on-hold"
						+ "&_count=100");
		templates.put(FLAGS, "Flag?patient={{context.patientId}}&status=active&_count=100");
		templates.put(
				SCORES, "Observation?subject=Patient/{{context.patientId}}&category=survey&_sort=-date&_count=100");
		return Map.copyOf(templates);
	}

	/**
	 * One service of the discovery document.
	 *
	 * @param hook the hook it answers
	 * @param id its id, the last segment of its URL
	 * @param title short Dutch title
	 * @param description what it does
	 * @param prefetch prefetch templates by key
	 */
	record CdsService(String hook, String id, String title, String description, Map<String, String> prefetch) {}
}
