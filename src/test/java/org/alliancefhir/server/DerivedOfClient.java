package org.alliancefhir.server;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Task;

/**
 * What the server stored about one client, reduced to what does not depend on ids: one line per Observation, Task
 * and Flag (codes, status, values, interpretation, date; a Task by the score it is about), sorted, so the stores of
 * two clients with the same sessions compare equal; plus every identifier, to find duplicates.
 *
 * @param lines the reduced resources, sorted
 * @param identifiers {@code <type> <system>|<value>} of every Observation, Task and Flag, in any order (an alert's
 *     Task and Flag share their identifier)
 */
record DerivedOfClient(List<String> lines, List<String> identifiers) {

	static DerivedOfClient read(RawFhirClient fhir, String patient) throws IOException, InterruptedException {
		List<Observation> observations = fhir.all("/Observation?subject=" + patient, Observation.class);
		List<Task> tasks = fhir.all("/Task?subject=" + patient, Task.class);
		List<Flag> flags = fhir.all("/Flag?subject=" + patient, Flag.class);
		Map<String, String> observationLines = new HashMap<>();
		List<String> lines = new ArrayList<>();
		List<String> identifiers = new ArrayList<>();
		for (Observation observation : observations) {
			String line = line(observation);
			observationLines.put("Observation/" + observation.getIdElement().getIdPart(), line);
			lines.add(line);
			identifiers.addAll(identifiers("Observation", observation.getIdentifier()));
		}
		for (Task task : tasks) {
			lines.add("Task " + codes(task.getCode()) + " " + task.getStatus().toCode() + " "
					+ (task.hasPriority() ? task.getPriority().toCode() : "-")
					+ " about [" + observationLines.get(task.getFocus().getReference()) + "]");
			identifiers.addAll(identifiers("Task", task.getIdentifier()));
		}
		for (Flag flag : flags) {
			lines.add("Flag " + codes(flag.getCode()) + " " + flag.getStatus().toCode());
			identifiers.addAll(identifiers("Flag", flag.getIdentifier()));
		}
		lines.sort(null);
		return new DerivedOfClient(List.copyOf(lines), List.copyOf(identifiers));
	}

	long count(String prefix) {
		return lines.stream().filter(line -> line.startsWith(prefix)).count();
	}

	long countMatching(String regex) {
		return lines.stream().filter(line -> line.matches(regex)).count();
	}

	/** Identifiers carried by more than one resource. */
	List<String> duplicateIdentifiers() {
		return identifiers.stream().collect(Collectors.groupingBy(i -> i, Collectors.counting())).entrySet().stream()
				.filter(entry -> entry.getValue() > 1)
				.map(Map.Entry::getKey)
				.toList();
	}

	private static String line(Observation observation) {
		StringBuilder line = new StringBuilder("Observation ")
				.append(codes(observation.getCode()))
				.append(' ')
				.append(observation.getStatus().toCode())
				.append(' ')
				.append(observation.getEffectiveDateTimeType().getValueAsString())
				.append(" value ")
				.append(observation.hasValueQuantity() ? value(observation.getValueQuantity()) : "-")
				.append(" interpretation ")
				.append(observation.getInterpretation().stream()
						.map(DerivedOfClient::codes)
						.toList())
				.append(" from ")
				.append(observation.getDerivedFrom().size());
		observation.getComponent().stream()
				.map(c -> codes(c.getCode()) + "=" + (c.hasValueQuantity() ? value(c.getValueQuantity()) : "-"))
				.sorted()
				.forEach(component -> line.append(' ').append(component));
		return line.toString();
	}

	private static String codes(CodeableConcept concept) {
		return concept.getCoding().stream().map(Coding::getCode).sorted().collect(Collectors.joining(","));
	}

	private static String value(Quantity quantity) {
		BigDecimal value = quantity.getValue();
		return value == null ? "-" : value.stripTrailingZeros().toPlainString();
	}

	private static List<String> identifiers(String type, List<Identifier> identifiers) {
		return identifiers.stream()
				.map(i -> type + " " + i.getSystem() + "|" + i.getValue())
				.toList();
	}
}
