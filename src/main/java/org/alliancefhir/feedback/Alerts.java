package org.alliancefhir.feedback;

import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.Date;
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
 * Raises and clears the alert of a rule for one score: a Task for the responsible professional and, for urgent
 * rules, a Flag on the client for the EHR's banner. Raising twice changes nothing; clearing cancels the open Task and
 * sets the Flag inactive, so the history stays auditable.
 *
 * @see <a href="https://hl7.org/fhir/R4/task.html">Task</a>
 * @see <a href="https://hl7.org/fhir/R4/flag.html">Flag</a>
 */
class Alerts {

	static final String FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail";
	private static final String FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category";
	private static final Set<String> OWNER_TYPES = Set.of("Practitioner", "PractitionerRole");

	private final DerivedResourceStore store;

	Alerts(DerivedResourceStore store) {
		this.store = store;
	}

	/** Opens the alert, unless it is open or was handled (a completed Task stays completed). */
	void raise(FeedbackRule rule, Observation score, TransactionDetails tx) {
		Identifier identifier = FeedbackIdentifiers.forScore(rule, score);
		Optional<Task> stored = store.read(Task.class, taskId(identifier));
		if (stored.isEmpty() || stored.get().getStatus() == Task.TaskStatus.CANCELLED) {
			store.put(task(rule, score, identifier), tx);
		}
		if (rule.urgent()) {
			Optional<Flag> flag = store.read(Flag.class, flagId(identifier));
			if (flag.isEmpty() || flag.get().getStatus() != Flag.FlagStatus.ACTIVE) {
				store.put(flag(rule, score, identifier), tx);
			}
		}
	}

	/** Cancels the open Task and sets the Flag inactive, keeping both for the record. */
	void clear(FeedbackRule rule, Observation score, TransactionDetails tx) {
		Identifier identifier = FeedbackIdentifiers.forScore(rule, score);
		store.read(Task.class, taskId(identifier))
				.filter(task -> OpenTasks.isOpen(task.getStatus()))
				.ifPresent(task -> {
					task.setStatus(Task.TaskStatus.CANCELLED);
					task.setStatusReason(new CodeableConcept()
							.setText("De score voldoet niet meer aan de regel (antwoorden gewijzigd of ingetrokken)"));
					store.update(task, tx);
				});
		store.read(Flag.class, flagId(identifier))
				.filter(flag -> flag.getStatus() == Flag.FlagStatus.ACTIVE)
				.ifPresent(flag -> {
					flag.setStatus(Flag.FlagStatus.INACTIVE);
					flag.getPeriod().setEnd(new Date());
					store.update(flag, tx);
				});
	}

	/** Deletes the alert of a score that is itself about to be deleted. */
	void delete(FeedbackRule rule, Observation score, TransactionDetails tx) {
		Identifier identifier = FeedbackIdentifiers.forScore(rule, score);
		store.read(Task.class, taskId(identifier)).ifPresent(t -> store.delete(t, tx));
		store.read(Flag.class, flagId(identifier)).ifPresent(f -> store.delete(f, tx));
	}

	private static IdType taskId(Identifier identifier) {
		return new IdType("Task", FeedbackIdentifiers.resourceId(identifier));
	}

	private static IdType flagId(Identifier identifier) {
		return new IdType("Flag", FeedbackIdentifiers.resourceId(identifier));
	}

	private Task task(FeedbackRule rule, Observation score, Identifier identifier) {
		Task task = new Task();
		task.setIdElement(taskId(identifier));
		task.addIdentifier(identifier);
		task.setInstantiatesCanonical(rule.planDefinition());
		task.setStatus(Task.TaskStatus.REQUESTED);
		task.setIntent(Task.TaskIntent.ORDER);
		task.setPriority(rule.urgent() ? Task.TaskPriority.URGENT : Task.TaskPriority.ROUTINE);
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
				.addText("Aanleiding: Observation/" + score.getIdElement().getIdPart() + " van "
						+ score.getEffectiveDateTimeType().getValueAsString().substring(0, 10) + ".");
		if (rule.note() != null) {
			div.addTag("p").addText("Regel: " + rule.id() + ". " + rule.note());
		}
		return DutchText.narrative(div);
	}

	private static Reference reference(Observation score) {
		return new Reference("Observation/" + score.getIdElement().getIdPart());
	}
}
