package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.util.List;
import org.alliancefhir.content.ContentInstalledListener;
import org.alliancefhir.content.ContentProperties;
import org.alliancefhir.content.ContentStartup;
import org.alliancefhir.content.ObservationDefinitionCatalog;
import org.alliancefhir.content.QuestionnaireCatalog;
import org.alliancefhir.scoring.ScoringEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the content feature: start-up installation and the lookups of stored Questionnaires and definitions. */
@Configuration
class ContentConfig {

	@Bean
	ContentStartup contentStartup(
			ContentProperties properties,
			FhirContext fhirContext,
			DaoRegistry daoRegistry,
			ScoringEngine scoringEngine,
			List<ContentInstalledListener> listeners) {
		return new ContentStartup(properties, fhirContext, daoRegistry, scoringEngine, listeners);
	}

	@Bean
	QuestionnaireCatalog questionnaireCatalog(DaoRegistry daoRegistry, IInterceptorService jpaInterceptors) {
		QuestionnaireCatalog catalog = new QuestionnaireCatalog(daoRegistry);
		jpaInterceptors.registerInterceptor(catalog.changeInterceptor());
		return catalog;
	}

	@Bean
	ObservationDefinitionCatalog observationDefinitionCatalog(
			DaoRegistry daoRegistry, IInterceptorService jpaInterceptors) {
		ObservationDefinitionCatalog catalog = new ObservationDefinitionCatalog(daoRegistry);
		jpaInterceptors.registerInterceptor(catalog.changeInterceptor());
		return catalog;
	}
}
