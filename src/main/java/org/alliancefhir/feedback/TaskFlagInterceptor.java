package org.alliancefhir.feedback;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import org.alliancefhir.storage.DerivedResourceStore;
import org.alliancefhir.storage.DerivedWrites;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Task;

/**
 * Ends the banner Flag of an alert when a client closes the alert's Task (completed, cancelled or another closed
 * status), in the client's transaction: a single PUT or PATCH as well as a Task entry of a transaction Bundle. Hooks
 * the pre-commit update pointcut, which sees the stored and the new version and does not fire for no-op updates; the
 * client's Task write has passed the authorization of its scopes before it gets here. Only a Task the server raised
 * (its stored version carries the feedback identifier) ends a Flag, and only the Flag about the same client. The
 * server's own Task writes are skipped: they end their Flag themselves.
 *
 * @see <a href="https://hl7.org/fhir/R4/task.html#statemachine">Task state machine</a>
 */
@Interceptor
public class TaskFlagInterceptor {

	private final Alerts alerts;

	public TaskFlagInterceptor(DerivedResourceStore store) {
		this.alerts = new Alerts(store);
	}

	@Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
	public void endFlagOfClosedTask(
			IBaseResource oldResource,
			IBaseResource newResource,
			RequestDetails request,
			TransactionDetails transaction) {
		if (DerivedWrites.isDerivedWrite(request)
				|| !(oldResource instanceof Task stored)
				|| !(newResource instanceof Task updated)
				|| !OpenTasks.isOpen(stored.getStatus())
				|| OpenTasks.isOpen(updated.getStatus())) {
			return;
		}
		stored.getIdentifier().stream()
				.filter(i -> FeedbackIdentifiers.SYSTEM.equals(i.getSystem()))
				.findFirst()
				.ifPresent(identifier -> alerts.endFlag(identifier, stored.getFor(), transaction));
	}
}
