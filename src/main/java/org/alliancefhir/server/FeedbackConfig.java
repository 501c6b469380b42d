package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import javax.sql.DataSource;
import org.alliancefhir.feedback.FeedbackRuleCatalog;
import org.alliancefhir.feedback.FeedbackService;
import org.alliancefhir.feedback.PatientAllianceSummaryProvider;
import org.alliancefhir.feedback.RuleExpressions;
import org.alliancefhir.feedback.TaskFlagInterceptor;
import org.alliancefhir.outbox.AuditOutbox;
import org.alliancefhir.outbox.FeedbackOutbox;
import org.alliancefhir.outbox.FeedbackWorker;
import org.alliancefhir.outbox.OutboxComponents;
import org.alliancefhir.storage.DerivedResourceStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.SharedEntityManagerCreator;

/**
 * Wires feedback-informed treatment: the rules from the stored PlanDefinitions, the service applying them, the outbox
 * requests hand their changed scores to and the workers that apply the rules after the commit, the hook that ends an
 * alert's Flag when its Task is closed, and {@code $alliance-summary}.
 */
@Configuration
class FeedbackConfig {

	/**
	 * The feedback workers of this node.
	 *
	 * @param workers worker threads (0: this node only stores and enqueues; another node derives the feedback)
	 * @param pollInterval how often a worker looks for work that other nodes committed
	 * @param maxAttempts tries of a failing batch before it is reported and kept as failed
	 * @param firstRetry the wait before the first retry, doubled for each further one
	 */
	@ConfigurationProperties("alliance.feedback")
	record FeedbackProperties(
			@DefaultValue("2") int workers,
			@DefaultValue("500ms") Duration pollInterval,
			@DefaultValue("8") int maxAttempts,
			@DefaultValue("1s") Duration firstRetry) {}

	@Bean
	DerivedResourceStore derivedResourceStore(
			DaoRegistry daoRegistry, EntityManagerFactory entityManagerFactory, IIdHelperService<JpaPid> ids) {
		return new DerivedResourceStore(
				daoRegistry, SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory), ids);
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
		jpaInterceptors.registerInterceptor(catalog.perspectives().changeInterceptor());
		return catalog;
	}

	/** Ends an alert's Flag when a client closes its Task; on the JPA interceptor service, so Bundle entries count. */
	@Bean
	TaskFlagInterceptor taskFlagInterceptor(DerivedResourceStore store, IInterceptorService jpaInterceptors) {
		TaskFlagInterceptor interceptor = new TaskFlagInterceptor(store);
		jpaInterceptors.registerInterceptor(interceptor);
		return interceptor;
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

	@Bean
	OutboxComponents outboxComponents(
			DataSource dataSource,
			EntityManagerFactory entityManagerFactory,
			IHapiTransactionService transactions,
			DaoRegistry daoRegistry,
			DerivedResourceStore store,
			FeedbackService feedback,
			FeedbackProperties properties) {
		return new OutboxComponents(
				dataSource,
				SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory),
				transactions,
				daoRegistry,
				store,
				feedback,
				new FeedbackWorker.Settings(
						properties.workers(),
						properties.pollInterval(),
						properties.maxAttempts(),
						properties.firstRetry()));
	}

	@Bean
	FeedbackOutbox feedbackOutbox(OutboxComponents outbox) {
		return outbox.outbox();
	}

	/**
	 * {@code /actuator/health/outbox} shows how much feedback is waiting and how much failed for good (counts only;
	 * the health group {@code outbox} in application.yaml shows these details, the rest of the endpoint none).
	 */
	@Bean
	HealthIndicator feedbackOutboxHealthIndicator(FeedbackOutbox outbox, AuditOutbox audit) {
		return () -> {
			try {
				return Health.up()
						.withDetail("pending", outbox.pending())
						.withDetail("failed", outbox.failed())
						.withDetail("auditPending", audit.pending())
						.build();
			} catch (RuntimeException databaseUnreachable) {
				// a failing indicator would turn the whole health answer into a 500 instead of 503 DOWN
				return Health.down()
						.withDetail("error", databaseUnreachable.getClass().getSimpleName())
						.build();
			}
		};
	}

	@Bean
	AuditOutbox auditOutbox(OutboxComponents outbox) {
		return outbox.audit();
	}

	@Bean
	FeedbackWorker feedbackWorker(OutboxComponents outbox) {
		return outbox.worker();
	}
}
