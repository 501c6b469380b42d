package org.alliancefhir.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;

/**
 * Names the published definition of each operation in the CapabilityStatement where there is one: the Bulk Data IG's
 * canonicals for {@code $export} (system, Patient, Group; HAPI names none for Patient) and FHIR's own for the core
 * operations HAPI answers. Operations nobody publishes a definition for ({@code $export-poll-status}, {@code $expunge},
 * reindexing, merge) keep the definition HAPI generates, which {@link CapabilityStatementProvider} serves.
 *
 * @see <a href="https://hl7.org/fhir/uv/bulkdata/CapabilityStatement-bulk-data.html">Bulk Data CapabilityStatement</a>
 */
@Interceptor
public class OperationDefinitionCanonicals {

	static final String BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/";
	static final String CORE = "http://hl7.org/fhir/OperationDefinition/";
	private static final String ANY_TYPE = "*";

	/** Canonicals by resource type (or {@code *}, or {@code system}) and operation name. */
	static final Map<String, Map<String, String>> CANONICALS = Map.of(
			"system",
			Map.of("export", BULK_DATA + "export", "meta", CORE + "Resource-meta"),
			"Patient",
			Map.of("export", BULK_DATA + "patient-export", "everything", CORE + "Patient-everything"),
			"Group",
			Map.of("export", BULK_DATA + "group-export"),
			"Encounter",
			Map.of("everything", CORE + "Encounter-everything"),
			"Observation",
			Map.of("lastn", CORE + "Observation-lastn"),
			"CodeSystem",
			Map.of(
					"lookup", CORE + "CodeSystem-lookup",
					"subsumes", CORE + "CodeSystem-subsumes",
					"validate-code", CORE + "CodeSystem-validate-code"),
			"ValueSet",
			Map.of("expand", CORE + "ValueSet-expand", "validate-code", CORE + "ValueSet-validate-code"),
			"ConceptMap",
			Map.of("translate", CORE + "ConceptMap-translate"),
			"StructureDefinition",
			Map.of("snapshot", CORE + "StructureDefinition-snapshot"),
			ANY_TYPE,
			Map.of(
					"validate", CORE + "Resource-validate",
					"meta", CORE + "Resource-meta",
					"meta-add", CORE + "Resource-meta-add",
					"meta-delete", CORE + "Resource-meta-delete"));

	@Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
	public void namePublishedDefinitions(IBaseConformance capabilityStatement) {
		CapabilityStatement.CapabilityStatementRestComponent rest =
				((CapabilityStatement) capabilityStatement).getRestFirstRep();
		canonicalise(rest.getOperation(), "system");
		rest.getResource().forEach(resource -> canonicalise(resource.getOperation(), resource.getType()));
	}

	private static void canonicalise(List<CapabilityStatementRestResourceOperationComponent> operations, String type) {
		operations.forEach(operation -> canonical(type, operation.getName()).ifPresent(operation::setDefinition));
	}

	private static Optional<String> canonical(String type, String name) {
		return Optional.ofNullable(CANONICALS.getOrDefault(type, Map.of()).get(name))
				.or(() -> "system".equals(type)
						? Optional.empty()
						: Optional.ofNullable(CANONICALS.get(ANY_TYPE).get(name)));
	}
}
