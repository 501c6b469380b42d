package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;

/**
 * Builds this server's AuditEvents in the shape of IHE's Basic Audit Log Patterns (codes from HAPI's BALP support):
 * the REST interaction, the resources concerned (and their patients), and who: the OAuth client (a Device), the
 * server and the token's subject, by identifier only, never by name.
 *
 * @see <a href="https://profiles.ihe.net/ITI/BALP/">IHE Basic Audit Log Patterns</a>
 */
final class AuditEvents {

	/** The alliance data whose reads and writes are audited. */
	static final Set<String> AUDITED_TYPES = Set.of("QuestionnaireResponse", "Observation", "Flag", "Task");

	static final String SERVER_NAME = "Alliance FHIR Server";

	private static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
	private static final Coding SOURCE_ROLE = new Coding(DICOM, "110153", "Source Role ID");
	private static final Coding DESTINATION_ROLE = new Coding(DICOM, "110152", "Destination Role ID");
	private static final Coding INFORMATION_RECIPIENT =
			new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient");
	private static final String UNAUTHENTICATED = "unauthenticated caller (development mode)";

	private AuditEvents() {}

	static boolean isAudited(IBaseResource resource) {
		return resource != null && AUDITED_TYPES.contains(resource.fhirType());
	}

	static AuditEvent newEvent(AuditEventAction action, String interaction, AuditEventOutcome outcome) {
		AuditEvent event = new AuditEvent();
		event.getType()
				.setSystem(BalpConstants.CS_AUDIT_EVENT_TYPE)
				.setCode("rest")
				.setDisplay("Restful Operation");
		event.addSubtype()
				.setSystem(BalpConstants.CS_RESTFUL_INTERACTION)
				.setCode(interaction)
				.setDisplay(interaction);
		event.setAction(action);
		event.setOutcome(outcome);
		event.setRecorded(new Date());
		event.getSource().getObserver().setDisplay(SERVER_NAME);
		return event;
	}

	/** The resource acted on, by reference, or by name when it cannot be referenced (deleted, never existed). */
	static void addResource(AuditEvent event, IIdType id, boolean byName) {
		AuditEventEntityComponent entity = entity(
				BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT,
				BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT_DISPLAY,
				BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE,
				BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE_DISPLAY);
		String relative = id.toUnqualifiedVersionless().getValue();
		if (byName) {
			entity.setName(relative);
		} else {
			entity.getWhat().setReference(relative);
		}
		event.addEntity(entity);
	}

	/** The patients whose compartment the resource is in, each once. */
	static void addPatientsOf(AuditEvent event, IBaseResource resource, FhirContext fhirContext) {
		List<IIdType> patients = fhirContext
				.newTerser()
				.getCompartmentOwnersForResource(ScopeRules.PATIENT_COMPARTMENT, resource, Set.of("patient"));
		for (IIdType patient : patients) {
			AuditEventEntityComponent entity = entity(
					BalpConstants.CS_AUDIT_ENTITY_TYPE_1_PERSON,
					BalpConstants.CS_AUDIT_ENTITY_TYPE_1_PERSON_DISPLAY,
					BalpConstants.CS_OBJECT_ROLE_1_PATIENT,
					BalpConstants.CS_OBJECT_ROLE_1_PATIENT_DISPLAY);
			entity.getWhat().setReference(patient.toUnqualifiedVersionless().getValue());
			addUnlessNamed(event, entity);
		}
	}

	/** Adds the entities of another event (resources and patients) that the event does not name yet. */
	static void addEntitiesOf(AuditEvent event, AuditEvent other) {
		other.getEntity().forEach(entity -> addUnlessNamed(event, entity.copy()));
	}

	private static void addUnlessNamed(AuditEvent event, AuditEventEntityComponent entity) {
		boolean named = event.getEntity().stream()
				.anyMatch(e -> e.getRole().getCode().equals(entity.getRole().getCode())
						&& Objects.equals(
								e.getWhat().getReference(), entity.getWhat().getReference())
						&& Objects.equals(e.getName(), entity.getName()));
		if (!named) {
			event.addEntity(entity);
		}
	}

	/** A new entity with its BALP entity type and object role. */
	private static AuditEventEntityComponent entity(
			String typeCode, String typeDisplay, String roleCode, String roleDisplay) {
		AuditEventEntityComponent entity = new AuditEventEntityComponent();
		entity.getType()
				.setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE)
				.setCode(typeCode)
				.setDisplay(typeDisplay);
		entity.getRole()
				.setSystem(BalpConstants.CS_OBJECT_ROLE)
				.setCode(roleCode)
				.setDisplay(roleDisplay);
		return entity;
	}

	/** The search that was run, as the query entity of BALP's query events. */
	static void addQuery(AuditEvent event, String query) {
		event.addEntity(entity(
						BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT,
						BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT_DISPLAY,
						BalpConstants.CS_OBJECT_ROLE_24_QUERY,
						"Query")
				.setQuery(query.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Who: the client application (or, for a derived write, this server) as source, this server as destination, and
	 * the token's subject as the requestor, identified by issuer and subject ({@code AuditEvent?altid=<sub>}).
	 */
	static void addAgents(AuditEvent event, AccessToken token, boolean derived) {
		AuditEventAgentComponent source = event.addAgent().setRequestor(false);
		source.getType().addCoding(SOURCE_ROLE.copy());
		if (derived || token == null || token.clientId() == null) {
			source.getWho().setDisplay(derived ? SERVER_NAME : "unidentified client");
		} else {
			source.getWho().setReference(ClientDevices.reference(token.clientId()));
			source.getWho()
					.getIdentifier()
					.setSystem(ClientDevices.IDENTIFIER_SYSTEM)
					.setValue(token.clientId());
		}
		AuditEventAgentComponent destination = event.addAgent().setRequestor(false);
		destination.getType().addCoding(DESTINATION_ROLE.copy());
		destination.getWho().setDisplay(SERVER_NAME);
		AuditEventAgentComponent user = event.addAgent().setRequestor(true);
		user.getType().addCoding(INFORMATION_RECIPIENT.copy());
		if (token == null) {
			user.getWho().setDisplay(UNAUTHENTICATED);
		} else {
			user.setAltId(token.principal());
			user.getWho().getIdentifier().setSystem(token.issuer()).setValue(token.principal());
		}
	}

	/** A copy naming every entity it referred to, for when a referenced resource has gone meanwhile. */
	static AuditEvent withoutEntityReferences(AuditEvent event) {
		AuditEvent copy = event.copy();
		for (AuditEventEntityComponent entity : copy.getEntity()) {
			if (entity.getWhat().hasReference()) {
				entity.setName(entity.getWhat().getReference());
				entity.setWhat(null);
			}
		}
		return copy;
	}
}
