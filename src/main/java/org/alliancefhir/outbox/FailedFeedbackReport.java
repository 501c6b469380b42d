package org.alliancefhir.outbox;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Date;
import java.util.List;
import org.alliancefhir.content.ProjectUrls;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports feedback that still failed after its last try, where an administrator looks: a WARN in the log (no
 * resource ids or patient data) and an AuditEvent with outcome 8 that names the scores,
 * {@code AuditEvent?subtype=https://alliancefhir.org/fhir/CodeSystem/alliance-feedback|feedback-failed}. The outbox
 * row stays, marked failed, so nothing is dropped.
 */
class FailedFeedbackReport {

	static final Coding SUBTYPE =
			new Coding(ProjectUrls.FEEDBACK_CODE_SYSTEM, "feedback-failed", "Feedback could not be derived");

	private static final Logger LOG = LoggerFactory.getLogger(FailedFeedbackReport.class);
	private static final Coding APPLICATION_ACTIVITY =
			new Coding("http://dicom.nema.org/resources/ontology/DCM", "110100", "Application Activity");
	private static final String SERVER_NAME = "Alliance FHIR Server";

	private final DaoRegistry daoRegistry;

	FailedFeedbackReport(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
	}

	/** Called inside a transaction of its own. */
	void report(OutboxTable.WorkItem item, int tries, RuntimeException failure) {
		LOG.warn(
				"Feedback for {} changed score(s) failed for good after {} tries: {}",
				item.observationIds().size(),
				tries,
				failure.getClass().getSimpleName());
		AuditEvent event = new AuditEvent();
		event.setType(APPLICATION_ACTIVITY.copy());
		event.addSubtype(SUBTYPE.copy());
		event.setAction(AuditEventAction.E);
		event.setOutcome(AuditEventOutcome._8);
		event.setOutcomeDesc("Feedback (comparisons, alerts, split indices) could not be derived after " + tries
				+ " tries: " + failure.getClass().getSimpleName() + "; outbox row " + item.id() + " is kept as failed");
		event.setRecorded(new Date());
		event.getSource().getObserver().setDisplay(SERVER_NAME);
		event.addAgent().setRequestor(false).getWho().setDisplay(SERVER_NAME);
		event.addEntity().setWhat(new Reference(item.subject()));
		List<String> ids = item.observationIds();
		ids.forEach(id -> event.addEntity().setName("Observation/" + id));
		daoRegistry.getResourceDao(AuditEvent.class).create(event, new SystemRequestDetails());
	}
}
