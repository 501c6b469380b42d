package org.alliancefhir.feedback;

import java.util.EnumSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Task.TaskStatus;

/**
 * What counts as an open alert, in one place: a Task nobody has finished, refused or withdrawn yet. A rejected Task
 * is closed (the professional declined it), like a completed, failed, cancelled or entered-in-error one.
 */
final class OpenTasks {

	static final Set<TaskStatus> STATUSES = EnumSet.of(
			TaskStatus.DRAFT,
			TaskStatus.REQUESTED,
			TaskStatus.RECEIVED,
			TaskStatus.ACCEPTED,
			TaskStatus.READY,
			TaskStatus.INPROGRESS,
			TaskStatus.ONHOLD);

	private OpenTasks() {}

	static boolean isOpen(TaskStatus status) {
		return STATUSES.contains(status);
	}
}
