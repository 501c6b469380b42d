package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.alliancefhir.feedback.FeedbackRuleCatalog;
import org.alliancefhir.feedback.FeedbackService;
import org.alliancefhir.feedback.PatientAllianceSummaryProvider;
import org.alliancefhir.feedback.RuleExpressions;
import org.alliancefhir.storage.DerivedResourceStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.SharedEntityManagerCreator;

/** Wires feedback-informed treatment: the rules from the stored PlanDefinitions, the service applying them, and
 * {@code $alliance-summary}. */
@Configuration
class FeedbackConfig {

	@Bean
	DerivedResourceStore derivedResourceStore(DaoRegistry daoRegistry, EntityManagerFactory entityManagerFactory) {
		return new DerivedResourceStore(
				daoRegistry, SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory));
	}

	@Bean
	RuleExpressions ruleExpressions(FhirContext fhirContext) {
		return new RuleExpressions(fhirContext);
	}

	@Bean
	FeedbackRuleCatalog feedbackRuleCatalog(
			DerivedResourceStore store, RuleExpressions expressions, IInterceptorService jpaInterceptors) {
		FeedbackRuleCatalog catalog = new FeedbackRuleCatalog(store, expressions);
		jpaInterceptors.registerInterceptor(catalog.changeInterceptor());
		return catalog;
	}

	@Bean
	PatientAllianceSummaryProvider allianceSummaryProvider(DaoRegistry daoRegistry) {
		return new PatientAllianceSummaryProvider(daoRegistry);
	}

	@Bean
	FeedbackService feedbackService(
			FeedbackRuleCatalog rules, RuleExpressions expressions, DerivedResourceStore store) {
		return new FeedbackService(rules, expressions, store);
	}
}
