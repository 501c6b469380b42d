package org.alliancefhir.feedback;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;

/**
 * The care relationship a score belongs to, read from its encounter: the episodes of care
 * ({@code Encounter.episodeOfCare}) and the hulpverleners ({@code Encounter.participant.individual}, Practitioner or
 * PractitionerRole). A series' baselines ("first", "previous") stay within the relationship: a new episode or another
 * hulpverlener starts a new series. A score without an encounter, or an encounter that names neither, keeps the
 * series of the client and respondent as a whole. Each encounter is read once per instance; an instance lives for one
 * batch of feedback, so a changed Encounter is seen by the next one; so is each relationship's list of encounters.
 */
class CareRelationships {

	/** The episodes and hulpverleners of one encounter; an empty set means the encounter does not say. */
	record Relationship(Set<String> episodes, Set<String> hulpverleners) {

		static final Relationship UNKNOWN = new Relationship(Set.of(), Set.of());

		/** A stable key of the relationship, for grouping the scores of one series. */
		String key() {
			return episodes.stream().sorted().collect(Collectors.joining(",")) + "/"
					+ hulpverleners.stream().sorted().collect(Collectors.joining(","));
		}

		/** Whether the encounter names neither episode nor hulpverlener, so the series is the whole one. */
		boolean isWhole() {
			return episodes.isEmpty() && hulpverleners.isEmpty();
		}

		/** Whether another score's relationship is this one: a shared episode and a shared hulpverlener, as named. */
		boolean includes(Relationship other) {
			return (episodes.isEmpty() || episodes.stream().anyMatch(other.episodes()::contains))
					&& (hulpverleners.isEmpty() || hulpverleners.stream().anyMatch(other.hulpverleners()::contains));
		}
	}

	private static final Set<String> HULPVERLENER_TYPES = Set.of("Practitioner", "PractitionerRole");

	private final DerivedResourceStore store;
	private final Map<String, Relationship> byEncounter = new HashMap<>();
	private final Map<String, ReferenceOrListParam> encountersByRelationship = new HashMap<>();

	CareRelationships(DerivedResourceStore store) {
		this.store = store;
	}

	/**
	 * The encounters of the client in the relationship (of its episodes, with one of its hulpverleners), as one
	 * parameter that narrows a score search to them.
	 */
	ReferenceOrListParam encounters(String subject, Relationship relationship) {
		return encountersByRelationship.computeIfAbsent(
				subject + " " + relationship.key(), key -> searchEncounters(subject, relationship));
	}

	private ReferenceOrListParam searchEncounters(String subject, Relationship relationship) {
		SearchParameterMap search =
				SearchParameterMap.newSynchronous().add(Encounter.SP_SUBJECT, new ReferenceParam(subject));
		if (!relationship.episodes().isEmpty()) {
			search.add(Encounter.SP_EPISODE_OF_CARE, any(relationship.episodes()));
		}
		if (!relationship.hulpverleners().isEmpty()) {
			search.add(Encounter.SP_PARTICIPANT, any(relationship.hulpverleners()));
		}
		ReferenceOrListParam encounters = new ReferenceOrListParam();
		for (Encounter encounter : store.search(Encounter.class, search)) {
			String reference = "Encounter/" + encounter.getIdElement().getIdPart();
			byEncounter.putIfAbsent(reference, relationship(encounter));
			encounters.addOr(new ReferenceParam(reference));
		}
		return encounters;
	}

	private static ReferenceOrListParam any(Set<String> references) {
		ReferenceOrListParam any = new ReferenceOrListParam();
		references.forEach(r -> any.addOr(new ReferenceParam(r)));
		return any;
	}

	Relationship of(Observation score) {
		if (!score.hasEncounter() || !score.getEncounter().hasReference()) {
			return Relationship.UNKNOWN;
		}
		String encounter = score.getEncounter().getReference();
		return byEncounter.computeIfAbsent(encounter, this::read);
	}

	private Relationship read(String reference) {
		Optional<Encounter> encounter = store.read(Encounter.class, new IdType(reference));
		return encounter.map(CareRelationships::relationship).orElse(Relationship.UNKNOWN);
	}

	private static Relationship relationship(Encounter encounter) {
		return new Relationship(
				references(encounter.getEpisodeOfCare()),
				references(encounter.getParticipant().stream()
						.map(Encounter.EncounterParticipantComponent::getIndividual)
						.filter(i -> HULPVERLENER_TYPES.contains(
								i.getReferenceElement().getResourceType()))
						.toList()));
	}

	private static Set<String> references(List<Reference> references) {
		return references.stream()
				.filter(Reference::hasReference)
				.map(r -> r.getReferenceElement().toUnqualifiedVersionless().getValue())
				.collect(Collectors.toSet());
	}
}
