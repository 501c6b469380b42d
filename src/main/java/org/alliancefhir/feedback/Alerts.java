package org.alliancefhir.feedback;

import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.alliancefhir.scoring.SdcExtensions;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * Raises and ends the alert of a rule for one score: a Task for the responsible professional and, for rules that ask
 * for it (urgent ones by default), a Flag on the client for the EHR's banner. Raising twice changes nothing; ending
 * cancels the open Task (coded {@code ended-by-rule}) and sets the Flag inactive, so the history stays auditable. A
 * Task a professional closed stays closed, and its Flag stays inactive.
 *
 * @see <a href="https://hl7.org/fhir/R4/task.html">Task</a>
 * @see <a href="https://hl7.org/fhir/R4/flag.html">Flag</a>
 */
class Alerts {

	static final String FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail";
	static final String ENDED_BY_RULE = "ended-by-rule";
	private static final String FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category";
	private static final Set<String> OWNER_TYPES = Set.of("Practitioner", "PractitionerRole");

	private final DerivedResourceStore store;

	Alerts(DerivedResourceStore store) {
		this.store = store;
	}

	/**
	 * Opens the alert, unless it is open or a professional closed it; an alert the rules ended opens again, since the
	 * score breaks the rule once more.
	 */
	void raise(FeedbackRule rule, Observation score, TransactionDetails tx) {
		Identifier identifier = FeedbackIdentifiers.forScore(rule, score);
		Optional<Task> stored = store.read(Task.class, taskId(identifier));
		boolean open = stored.map(task -> OpenTasks.isOpen(task.getStatus())).orElse(false);
		if (stored.isEmpty() || endedByRule(stored.get())) {
			store.put(task(rule, score, identifier), tx);
			open = true;
		}
		if (rule.flag() && open) {
			Optional<Flag> flag = store.read(Flag.class, flagId(identifier));
			if (flag.isEmpty() || flag.get().getStatus() != Flag.FlagStatus.ACTIVE) {
				store.put(flag(rule, score, identifier), tx);
			}
		}
	}

	/** Ends the alert of a score whose response changed so that it no longer breaks the rule. */
	void clear(FeedbackRule rule, Observation score, TransactionDetails tx) {
		end(
				FeedbackIdentifiers.forScore(rule, score),
				"De score voldoet niet meer aan de regel (antwoorden gewijzigd of ingetrokken)",
				tx);
	}

	/**
	 * Ends the alert of an earlier score of the series once a later session has been evaluated: that session either no
	 * longer breaks the rule, or has its own alert, which replaces this one.
	 */
	void endEarlier(
			FeedbackRule rule, Observation earlier, Observation later, boolean laterBreaksRule, TransactionDetails tx) {
		String session = day(later);
		end(
				FeedbackIdentifiers.forScore(rule, earlier),
				laterBreaksRule
						? "Vervangen door de melding van de sessie van " + session
						: "De sessie van " + session + " voldoet niet meer aan de regel",
				tx);
	}

	/**
	 * Sets the Flag of an alert inactive (its period ends now) after its Task was closed; only the Flag about the same
	 * client as the Task.
	 */
	void endFlag(Identifier identifier, Reference client, TransactionDetails tx) {
		store.read(Flag.class, flagId(identifier))
				.filter(flag -> flag.getSubject().getReference() != null
						&& flag.getSubject().getReference().equals(client.getReference()))
				.ifPresent(flag -> endFlag(flag, tx));
	}

	/** Deletes the alert of a score that is itself about to be deleted. */
	void delete(FeedbackRule rule, Observation score, TransactionDetails tx) {
		Identifier identifier = FeedbackIdentifiers.forScore(rule, score);
		store.read(Task.class, taskId(identifier)).ifPresent(t -> store.delete(t, tx));
		store.read(Flag.class, flagId(identifier)).ifPresent(f -> store.delete(f, tx));
	}

	/** Cancels the open Task with the reason given, coded as ended by the rules, and sets the Flag inactive. */
	private void end(Identifier identifier, String reason, TransactionDetails tx) {
		Optional<Task> stored = store.read(Task.class, taskId(identifier));
		if (stored.isEmpty()) {
			return; // no alert, so no Flag either: they are raised together
		}
		Task task = stored.get();
		if (OpenTasks.isOpen(task.getStatus())) {
			task.setStatus(Task.TaskStatus.CANCELLED);
			task.setStatusReason(new CodeableConcept(
							new Coding(FeedbackIdentifiers.CODE_SYSTEM, ENDED_BY_RULE, "Ended by the feedback rules"))
					.setText(reason));
			store.update(task, tx);
		}
		store.read(Flag.class, flagId(identifier)).ifPresent(flag -> endFlag(flag, tx));
	}

	private void endFlag(Flag flag, TransactionDetails tx) {
		if (flag.getStatus() == Flag.FlagStatus.ACTIVE) {
			flag.setStatus(Flag.FlagStatus.INACTIVE);
			flag.getPeriod().setEnd(new Date());
			store.update(flag, tx);
		}
	}

	private static boolean endedByRule(Task task) {
		return task.getStatus() == Task.TaskStatus.CANCELLED
				&& task.getStatusReason().getCoding().stream()
						.anyMatch(c -> FeedbackIdentifiers.CODE_SYSTEM.equals(c.getSystem())
								&& ENDED_BY_RULE.equals(c.getCode()));
	}

	private static String day(Observation score) {
		return score.getEffectiveDateTimeType().getValueAsString().substring(0, 10);
	}

	/** The ids of the Task and the Flag an alert of the rule on the score has, if it is stored. */
	static List<IdType> ids(FeedbackRule rule, Observation score) {
		Identifier identifier = FeedbackIdentifiers.forScore(rule, score);
		return List.of(taskId(identifier), flagId(identifier));
	}

	private static IdType taskId(Identifier identifier) {
		return FeedbackIdentifiers.id("Task", identifier);
	}

	private static IdType flagId(Identifier identifier) {
		return FeedbackIdentifiers.id("Flag", identifier);
	}

	private Task task(FeedbackRule rule, Observation score, Identifier identifier) {
		Task task = new Task();
		task.setIdElement(taskId(identifier));
		task.addIdentifier(identifier);
		task.setInstantiatesCanonical(rule.planDefinition());
		task.setStatus(Task.TaskStatus.REQUESTED);
		task.setIntent(Task.TaskIntent.ORDER);
		task.setPriority(rule.priority());
		task.setCode(new CodeableConcept(rule.alertCode().copy()).setText(rule.messageNl()));
		task.setDescription(rule.messageNl());
		task.getDescriptionElement().addExtension(translation(rule.messageEn()));
		task.setFocus(reference(score));
		task.setFor(score.getSubject().copy());
		if (score.hasEncounter()) {
			task.setEncounter(score.getEncounter().copy());
		}
		task.setAuthoredOn(new Date());
		task.setReasonReference(reference(score));
		owner(score).ifPresent(task::setOwner);
		task.setText(narrative(rule, score));
		return task;
	}

	private static Flag flag(FeedbackRule rule, Observation score, Identifier identifier) {
		Flag flag = new Flag();
		flag.setIdElement(flagId(identifier));
		flag.addIdentifier(identifier);
		flag.setStatus(Flag.FlagStatus.ACTIVE);
		flag.addCategory(new CodeableConcept(new Coding(FLAG_CATEGORY, "clinical", "Clinical")));
		flag.setCode(new CodeableConcept(rule.alertCode().copy()).setText(rule.messageNl()));
		flag.setSubject(score.getSubject().copy());
		flag.getPeriod().setStartElement(score.getEffectiveDateTimeType().copy());
		if (score.hasEncounter()) {
			flag.setEncounter(score.getEncounter().copy());
		}
		flag.addExtension(new Extension(FLAG_DETAIL, reference(score)));
		flag.setText(narrative(rule, score));
		return flag;
	}

	/** The author of the response when a professional, else the encounter's first professional participant. */
	private Optional<Reference> owner(Observation score) {
		Optional<Reference> performer = score.getPerformer().stream()
				.filter(p -> OWNER_TYPES.contains(p.getReferenceElement().getResourceType()))
				.findFirst();
		if (performer.isPresent() || !score.hasEncounter()) {
			return performer.map(Reference::copy);
		}
		return store.read(Encounter.class, score.getEncounter().getReferenceElement())
				.flatMap(encounter -> encounter.getParticipant().stream()
						.map(Encounter.EncounterParticipantComponent::getIndividual)
						.filter(p ->
								OWNER_TYPES.contains(p.getReferenceElement().getResourceType()))
						.findFirst()
						.map(Reference::copy));
	}

	private static Extension translation(String english) {
		Extension translation = new Extension(SdcExtensions.TRANSLATION);
		translation.addExtension("lang", new CodeType("en"));
		translation.addExtension("content", new StringType(english));
		return translation;
	}

	private static Narrative narrative(FeedbackRule rule, Observation score) {
		XhtmlNode div = DutchText.div();
		div.addTag("p").addTag("b").addText(rule.messageNl());
		div.addTag("p")
				.addText("Aanleiding: Observation/" + score.getIdElement().getIdPart() + " van " + day(score) + ".");
		if (rule.note() != null) {
			div.addTag("p").addText("Regel: " + rule.id() + ". " + rule.note());
		}
		return DutchText.narrative(div);
	}

	private static Reference reference(Observation score) {
		return new Reference("Observation/" + score.getIdElement().getIdPart());
	}
}
