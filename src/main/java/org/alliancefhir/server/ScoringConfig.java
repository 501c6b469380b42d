package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.alliancefhir.content.ObservationDefinitionCatalog;
import org.alliancefhir.content.ProjectUrls;
import org.alliancefhir.content.QuestionnaireCatalog;
import org.alliancefhir.extraction.ExtractionComponents;
import org.alliancefhir.outbox.FeedbackOutbox;
import org.alliancefhir.scoring.ScoringEngine;
import org.alliancefhir.storage.DerivedResourceStore;
import org.alliancefhir.storage.VersionConflictRetryInterceptor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires scoring and extraction: the engine, and the storage interceptors registered once, on HAPI's JPA interceptor
 * service (which also sees internal writes), never on the RestfulServer (that would fire every hook twice).
 */
@Configuration
class ScoringConfig {

	/**
	 * Switches of the scoring feature.
	 *
	 * @param enabled whether responses are validated and scored when stored (off only for benchmarks and
	 *     sites that score elsewhere)
	 * @param instanceValidation whether HAPI's full instance validator also checks every response (base-resource
	 *     rules on top of the Questionnaire rules; about 20 ms a response). Off, it runs only for Questionnaires with
	 *     rules the fast checks do not implement and for responses that declare a profile
	 * @param terminologyServer base URL of a FHIR terminology server that expands answer ValueSets this server does
	 *     not hold ({@code ValueSet/$expand}); empty: none
	 */
	@ConfigurationProperties("alliance.scoring")
	record ScoringProperties(
			@DefaultValue("true") boolean enabled,
			@DefaultValue("false") boolean instanceValidation,
			@DefaultValue("") String terminologyServer) {}

	@Bean
	ScoringEngine scoringEngine(FhirContext fhirContext) {
		return new ScoringEngine(fhirContext);
	}

	@Bean
	ExtractionComponents extractionComponents(
			FhirContext fhirContext,
			IValidationSupport validationSupport,
			DaoRegistry daoRegistry,
			QuestionnaireCatalog questionnaires,
			ObservationDefinitionCatalog definitions,
			ScoringEngine engine,
			DerivedResourceStore store,
			FeedbackOutbox feedback,
			ScoringProperties properties,
			IInterceptorService jpaInterceptors) {
		ExtractionComponents extraction = new ExtractionComponents(
				fhirContext,
				validationSupport,
				daoRegistry,
				questionnaires,
				definitions,
				engine,
				store,
				feedback,
				properties.instanceValidation(),
				properties.terminologyServer());
		jpaInterceptors.registerInterceptor(extraction.valueSetChangeInterceptor());
		jpaInterceptors.registerInterceptor(extraction.narrativeDeliveryInterceptor());
		if (properties.enabled()) {
			jpaInterceptors.registerInterceptor(extraction.storageInterceptor());
			jpaInterceptors.registerInterceptor(extraction.guard(ProjectUrls.SCORE_CODE_SYSTEM));
			jpaInterceptors.registerInterceptor(new VersionConflictRetryInterceptor());
		}
		return extraction;
	}
}
