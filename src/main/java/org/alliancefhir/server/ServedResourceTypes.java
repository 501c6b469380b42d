package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Limits HAPI's storage and REST API to the resource types this server works with: the DAO and resource provider
 * beans of every other R4 type are removed before Spring creates them, which saves creating about 110 DAOs at every
 * start; a request for another type answers 404 (REST) or 400 (transaction entry) with an OperationOutcome.
 */
final class ServedResourceTypes implements BeanDefinitionRegistryPostProcessor {

	/** Property naming further types to serve, for a site that stores more than the alliance data. */
	static final String ADDITIONAL_TYPES_PROPERTY = "alliance.additional-resource-types";

	/**
	 * The instruments and their content, the people and care context a response or score refers to, the derived
	 * feedback and audit resources, subscriptions, and what Bulk Data export needs (Group, Binary).
	 */
	static final Set<String> BUILT_IN = Set.of(
			// content
			"Questionnaire",
			"ValueSet",
			"CodeSystem",
			"ConceptMap",
			"StructureDefinition",
			"SearchParameter",
			"OperationDefinition",
			"ObservationDefinition",
			"PlanDefinition",
			"ActivityDefinition",
			// answers, scores and feedback
			"QuestionnaireResponse",
			"Observation",
			"Task",
			"Flag",
			"Provenance",
			"AuditEvent",
			"Subscription",
			// who and where: subjects, authors, performers, encounters, what a score is based on or part of
			"Patient",
			"Practitioner",
			"PractitionerRole",
			"RelatedPerson",
			"Organization",
			"CareTeam",
			"Device",
			"Encounter",
			"EpisodeOfCare",
			"Location",
			"CarePlan",
			"ServiceRequest",
			"Procedure",
			// Bulk Data export
			"Group",
			"Binary");

	private final Set<String> served;

	private ServedResourceTypes(Set<String> served) {
		this.served = served;
	}

	/** The built-in types plus those of {@value #ADDITIONAL_TYPES_PROPERTY}; unknown names stop the start. */
	static ServedResourceTypes from(Environment environment) {
		List<String> additional = Binder.get(environment)
				.bind(ADDITIONAL_TYPES_PROPERTY, Bindable.listOf(String.class))
				.orElse(List.of());
		Set<String> known = FhirContext.forR4Cached().getResourceTypes();
		Set<String> served = new TreeSet<>(BUILT_IN);
		for (String type :
				additional.stream().map(String::strip).filter(t -> !t.isEmpty()).toList()) {
			if (!known.contains(type)) {
				throw new IllegalStateException(
						ADDITIONAL_TYPES_PROPERTY + " names " + type + ", which is not an R4 resource type");
			}
			served.add(type);
		}
		return new ServedResourceTypes(Set.copyOf(served));
	}

	Set<String> served() {
		return served;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		for (String type : FhirContext.forR4Cached().getResourceTypes()) {
			if (!served.contains(type)) {
				removeIfPresent(registry, "my" + type + "DaoR4");
				removeIfPresent(registry, "my" + type + "RpR4");
			}
		}
	}

	private static void removeIfPresent(BeanDefinitionRegistry registry, String name) {
		if (registry.containsBeanDefinition(name)) {
			registry.removeBeanDefinition(name);
		}
	}
}
