package org.alliancefhir.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * Every transition of an alert's life cycle (profiles/README.md, "Alert life cycle"): raised with a banner Flag for an
 * urgent rule; its Flag ended when a professional completes or cancels the Task (PUT, PATCH or a transaction Bundle);
 * ended by a later session that no longer breaks the rule or that raises its own alert; raised again afterwards; and
 * amended, withdrawn or deleted responses as before.
 */
class AlertLifecycleIT extends FeedbackIntegrationTest {

	private static final String BELOW = "alert-below-cut-off";

	@Test
	void anSrsBelowTheCutOffRaisesAnUrgentTaskAndAFlagAndADropOnlyARoutineTask() {
		String client = patient("1990-01-01");
		create(srs(client, day(0), 37.0));
		create(srs(client, day(1), 35.9));

		assertThat(tasks(client))
				.extracting(t -> code(t) + " " + t.getPriority().toCode() + " "
						+ t.getStatus().toCode())
				.containsExactlyInAnyOrder("alert-below-cut-off urgent requested", "alert-drop routine requested");
		assertThat(flags(client)).singleElement().satisfies(flag -> {
			assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
			assertThat(flag.getCode().getCodingFirstRep().getCode()).isEqualTo(BELOW);
			assertThat(flag.getPeriod().hasEnd()).isFalse();
		});
	}

	@Test
	void completingTheTaskEndsItsFlagAndAnAmendmentThatStillBreaksTheRuleKeepsBothClosed() {
		String client = patient("1990-01-01");
		QuestionnaireResponse low = srs(client, day(0), 30.0);
		String lowId = create(low);
		Task task = single(client, BELOW);
		task.setStatus(Task.TaskStatus.COMPLETED);
		client().update().resource(task).execute();

		assertThat(single(client, BELOW).getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
		assertInactive(flags(client));

		QuestionnaireResponse amended = srs(client, day(0), 31.0);
		amended.setId(lowId);
		amended.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);
		client().update().resource(amended).execute();

		assertThat(single(client, BELOW).getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
		assertInactive(flags(client));
	}

	@Test
	void cancellingTheTaskWithAPatchEndsItsFlag() {
		String client = patient("1990-01-01");
		create(srs(client, day(0), 30.0));
		String taskId = single(client, BELOW).getIdElement().getIdPart();

		client().patch()
				.withBody("[{\"op\": \"replace\", \"path\": \"/status\", \"value\": \"cancelled\"}]")
				.withId(new IdType("Task", taskId))
				.execute();

		assertThat(single(client, BELOW).getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);
		assertInactive(flags(client));
	}

	@Test
	void completingTheTaskInATransactionBundleEndsItsFlag() {
		String client = patient("1990-01-01");
		create(srs(client, day(0), 30.0));
		Task task = single(client, BELOW);
		task.setStatus(Task.TaskStatus.COMPLETED);
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		transaction
				.addEntry()
				.setResource(task)
				.getRequest()
				.setMethod(Bundle.HTTPVerb.PUT)
				.setUrl("Task/" + task.getIdElement().getIdPart());

		client().transaction().withBundle(transaction).execute();

		assertThat(single(client, BELOW).getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
		assertInactive(flags(client));
	}

	@Test
	void aTaskUpdateThatKeepsItOpenLeavesTheFlagActive() {
		String client = patient("1990-01-01");
		create(srs(client, day(0), 30.0));
		Task task = single(client, BELOW);
		task.setStatus(Task.TaskStatus.INPROGRESS);
		client().update().resource(task).execute();

		assertThat(flags(client)).singleElement().satisfies(f -> assertThat(f.getStatus())
				.isEqualTo(Flag.FlagStatus.ACTIVE));
	}

	@Test
	void aLaterSessionAboveTheCutOffEndsTheAlertKeepingItsHistoryAndALaterLowSessionRaisesANewOne() {
		String client = patient("1990-01-01");
		create(srs(client, day(0), 34.0));
		create(srs(client, day(1), 36.0));

		Task ended = single(client, BELOW);
		assertThat(ended.getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);
		assertThat(ended.getStatusReason().getCodingFirstRep().getCode()).isEqualTo("ended-by-rule");
		assertThat(ended.getStatusReason().getText()).contains("voldoet niet meer aan de regel");
		assertThat(history(ended)).isEqualTo(2);
		assertInactive(flags(client));

		create(srs(client, day(2), 35.0));

		List<Task> below =
				tasks(client).stream().filter(t -> code(t).equals(BELOW)).toList();
		assertThat(below)
				.extracting(t -> scoreValue(t.getFocus()) + " " + t.getStatus().toCode())
				.containsExactlyInAnyOrder("34.0 cancelled", "35.0 requested");
		assertThat(flags(client))
				.extracting(f -> scoreValue((Reference)
								f.getExtensionByUrl(Alerts.FLAG_DETAIL).getValue()) + " "
						+ f.getStatus().toCode())
				.containsExactlyInAnyOrder("34.0 inactive", "35.0 active");
	}

	@Test
	void aSecondLowSessionReplacesTheFirstAlertSoOneFlagStaysOnTheBanner() {
		String client = patient("1990-01-01");
		create(srs(client, day(0), 34.0));
		create(srs(client, day(1), 34.0));

		List<Task> below =
				tasks(client).stream().filter(t -> code(t).equals(BELOW)).toList();
		assertThat(below).hasSize(2);
		assertThat(below)
				.filteredOn(t -> t.getStatus() == Task.TaskStatus.CANCELLED)
				.singleElement()
				.satisfies(t -> assertThat(t.getStatusReason().getText()).startsWith("Vervangen door de melding"));
		assertThat(flags(client))
				.filteredOn(f -> f.getStatus() == Flag.FlagStatus.ACTIVE)
				.hasSize(1);
	}

	@Test
	void deletingTheSessionThatEndedAnAlertRaisesItAgain() {
		String client = patient("1990-01-01");
		create(srs(client, day(0), 34.0));
		String fine = create(srs(client, day(1), 38.0));
		assertThat(single(client, BELOW).getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);

		client().delete().resourceById("QuestionnaireResponse", fine).execute();

		assertThat(single(client, BELOW).getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
		assertThat(flags(client)).singleElement().satisfies(f -> assertThat(f.getStatus())
				.isEqualTo(Flag.FlagStatus.ACTIVE));
	}

	@Test
	void aResponseEnteredInErrorEndsItsAlert() {
		String client = patient("1990-01-01");
		QuestionnaireResponse low = srs(client, day(0), 30.0);
		String lowId = create(low);
		assertThat(flags(client)).hasSize(1);

		low.setId(lowId);
		low.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.ENTEREDINERROR);
		client().update().resource(low).execute();

		assertThat(single(client, BELOW).getStatus()).isEqualTo(Task.TaskStatus.CANCELLED);
		assertInactive(flags(client));
	}

	@Test
	void aChildSrsBelow36IsInformationalOnly() {
		String child = patient("2016-01-01");
		QuestionnaireResponse response = srs(child, day(0), 30.0);
		response.setQuestionnaire("https://alliancefhir.org/fhir/Questionnaire/csrs|1.0.0");
		create(response);

		assertThat(single(child, BELOW).getPriority()).isEqualTo(Task.TaskPriority.ROUTINE);
		assertThat(single(child, BELOW).getDescription()).contains("(niet genormeerd)");
		assertThat(flags(child)).isEmpty();
	}

	@Test
	void theUnnormedWav12DropIsOffByDefault() {
		String client = patient("2008-02-02");
		String therapist = practitioner();
		create(coded("wav-12-client", client, client, day(0), encounter(client, therapist), "f4"));
		create(coded("wav-12-client", client, client, day(1), encounter(client, therapist), "f1"));

		assertThat(observations(client, "wav-12-client-total-change"))
				.singleElement()
				.satisfies(o -> assertThat(o.getValueQuantity().getValue()).isEqualByComparingTo("-36"));
		assertThat(tasks(client)).isEmpty();
		assertThat(flags(client)).isEmpty();
	}

	private Task single(String client, String code) {
		List<Task> found =
				tasks(client).stream().filter(t -> code(t).equals(code)).toList();
		assertThat(found).as(code).hasSize(1);
		return found.get(0);
	}

	private int history(Task task) {
		return client().history()
				.onInstance(task.getIdElement().toUnqualifiedVersionless())
				.returnBundle(Bundle.class)
				.execute()
				.getEntry()
				.size();
	}

	private static void assertInactive(List<Flag> flags) {
		assertThat(flags).singleElement().satisfies(flag -> {
			assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.INACTIVE);
			assertThat(flag.getPeriod().hasEnd()).isTrue();
		});
	}
}
