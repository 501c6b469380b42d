package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.util.List;
import javax.sql.DataSource;
import org.alliancefhir.content.ContentInstalledListener;
import org.alliancefhir.content.ContentProperties;
import org.alliancefhir.content.ContentStartup;
import org.alliancefhir.content.InstalledContentHash;
import org.alliancefhir.content.ObservationDefinitionCatalog;
import org.alliancefhir.content.QuestionnaireCatalog;
import org.alliancefhir.content.QuestionnaireExpressions;
import org.alliancefhir.content.QuestionnaireStorageInterceptor;
import org.alliancefhir.scoring.FhirPathEngines;
import org.alliancefhir.scoring.ScoringEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** Wires the content feature: start-up installation and the lookups of stored Questionnaires and definitions. */
@Configuration
class ContentConfig {

	@Bean
	ContentStartup contentStartup(
			ContentProperties properties,
			FhirContext fhirContext,
			DaoRegistry daoRegistry,
			ScoringEngine scoringEngine,
			DataSource dataSource,
			PlatformTransactionManager transactionManager,
			List<ContentInstalledListener> listeners) {
		return new ContentStartup(
				properties,
				fhirContext,
				daoRegistry,
				scoringEngine,
				new InstalledContentHash(dataSource),
				transactionManager,
				listeners);
	}

	@Bean
	QuestionnaireCatalog questionnaireCatalog(DaoRegistry daoRegistry, IInterceptorService jpaInterceptors) {
		QuestionnaireCatalog catalog = new QuestionnaireCatalog(daoRegistry);
		jpaInterceptors.registerInterceptor(catalog.changeInterceptor());
		return catalog;
	}

	/** Registered on the JPA interceptor service, so Questionnaires in transactions are checked too. */
	@Bean
	QuestionnaireStorageInterceptor questionnaireStorageInterceptor(
			FhirContext fhirContext,
			DaoRegistry daoRegistry,
			ScoringEngine scoringEngine,
			IInterceptorService jpaInterceptors) {
		QuestionnaireExpressions expressions =
				new QuestionnaireExpressions(FhirPathEngines.forSyntax(fhirContext), scoringEngine);
		QuestionnaireStorageInterceptor interceptor = new QuestionnaireStorageInterceptor(expressions, daoRegistry);
		jpaInterceptors.registerInterceptor(interceptor);
		return interceptor;
	}

	@Bean
	ObservationDefinitionCatalog observationDefinitionCatalog(
			DaoRegistry daoRegistry, IInterceptorService jpaInterceptors) {
		ObservationDefinitionCatalog catalog = new ObservationDefinitionCatalog(daoRegistry);
		jpaInterceptors.registerInterceptor(catalog.changeInterceptor());
		return catalog;
	}
}
