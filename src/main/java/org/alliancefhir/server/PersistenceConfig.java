package org.alliancefhir.server;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.hl7.fhir.dstu2.model.Subscription;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/** Wires HAPI's JPA storage (R4 only) and REST-hook subscriptions onto the configured data source. */
@Configuration
@EnableTransactionManagement
@Import({
	JpaR4Config.class,
	HapiJpaConfig.class,
	JpaBatch2Config.class,
	Batch2JobsConfig.class,
	ThreadPoolFactoryConfig.class,
	SubscriptionChannelConfig.class,
	SubscriptionSubmitterConfig.class,
	SubscriptionProcessorConfig.class
})
class PersistenceConfig {

	private static final String BATCH_JOB_MAINTENANCE_INTERVAL = "alliance.batch.maintenance-interval";
	private static final Duration DEFAULT_BATCH_JOB_MAINTENANCE = Duration.ofSeconds(5);

	/** Only the resource types of {@link ServedResourceTypes} get a DAO and a REST provider. */
	@Bean
	static ServedResourceTypes servedResourceTypes(Environment environment) {
		return ServedResourceTypes.from(environment);
	}

	/** HAPI's repositories are created on first use, see {@link LazyRepositories}. */
	@Bean
	static LazyRepositories lazyRepositories() {
		return new LazyRepositories();
	}

	@Bean
	JpaStorageSettings storageSettings() {
		JpaStorageSettings settings = new JpaStorageSettings();
		settings.setAllowContainsSearches(false);
		settings.setAdvancedHSearchIndexing(false);
		settings.setIndexMissingFields(JpaStorageSettings.IndexEnabledEnum.DISABLED);
		// no second, string index row per coding for the :text modifier of token searches (a score Observation had 12
		// of them, an AuditEvent 6): HAPI refuses :text on tokens instead (bench/README.md §20)
		settings.setSuppressStringIndexingInTokens(true);
		// The content installs its SearchParameters at start-up, before batch jobs exist; run $reindex by hand after
		// adding a search parameter to a database that already holds data.
		settings.setMarkResourcesForReindexingUponSearchParameterChange(false);
		// Bulk Data $export: every request starts a new job, so an export always holds the data as it is now
		settings.setEnableTaskBulkExportJobExecution(true);
		settings.setEnableBulkExportJobReuse(false);
		// each step of a batch job starts when the previous one is done, not at the next once-a-minute maintenance pass
		settings.setJobFastTrackingEnabled(true);
		// alerts arrive seconds after the response that raised them: a client polling Task?patient=… must see them at
		// once, not HAPI's cached answer to the same search for another minute
		settings.setReuseCachedSearchResultsForMillis(null);
		// HFJ_SPIDX_IDENTITY (hash -> search parameter name) is written by HAPI for outside tools and read by nothing
		// in
		// HAPI 8.8 (only $expunge of everything deletes it); on a new database the writes cost a background thread
		// several CPU seconds during start-up (bench/README.md §16)
		settings.setWriteToSearchParamIdentityTable(false);
		return settings;
	}

	/**
	 * Batch jobs ({@code $export}) advance at each maintenance pass of HAPI's job service: every
	 * {@code alliance.batch.maintenance-interval} (5 seconds by default) instead of HAPI's once a minute, so a Bulk Data
	 * export is ready seconds after its kick-off.
	 */
	@Bean
	static BeanPostProcessor batchJobMaintenanceInterval(Environment environment) {
		Duration interval =
				environment.getProperty(BATCH_JOB_MAINTENANCE_INTERVAL, Duration.class, DEFAULT_BATCH_JOB_MAINTENANCE);
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof JobMaintenanceServiceImpl maintenance) {
					maintenance.setScheduledJobFrequencyMillis(interval.toMillis());
				}
				return bean;
			}
		};
	}

	/** Email subscriptions are not offered (only rest-hook is a supported channel type); HAPI still needs a sender. */
	@Bean
	IEmailSender emailSender() {
		return email -> {
			throw new UnsupportedOperationException("This server delivers subscriptions by rest-hook only");
		};
	}

	@Bean
	PartitionSettings partitionSettings() {
		return new PartitionSettings();
	}

	/** REST-hook subscriptions, so an EHR is notified of new scores and alerts (e.g. {@code Flag?status=active}). */
	@Bean
	SubscriptionSettings subscriptionSettings() {
		SubscriptionSettings settings = new SubscriptionSettings();
		settings.addSupportedSubscriptionType(Subscription.SubscriptionChannelType.RESTHOOK);
		return settings;
	}

	/** Spares each write HAPI's subscription message when no active Subscription watches its resource type. */
	@Bean
	SubscriptionMessageFilter subscriptionMessageFilter(
			FhirContext fhirContext, SubscriptionRegistry registry, IInterceptorService jpaInterceptors) {
		SubscriptionMessageFilter filter = new SubscriptionMessageFilter(fhirContext, registry::getAll, Instant::now);
		jpaInterceptors.registerInterceptor(filter);
		return filter;
	}

	@Bean
	@Primary
	LocalContainerEntityManagerFactoryBean entityManagerFactory(
			ConfigurableListableBeanFactory beanFactory,
			FhirContext fhirContext,
			JpaStorageSettings storageSettings,
			DataSource dataSource,
			JpaProperties jpaProperties) {
		LocalContainerEntityManagerFactoryBean factory =
				HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
		factory.setPersistenceUnitName("HAPI_PU");
		factory.setDataSource(dataSource);
		factory.setJpaPropertyMap(jpaProperties.getProperties());
		return factory;
	}

	@Bean
	H2FileCompaction h2FileCompaction(DataSource dataSource, AllianceProperties properties) {
		return new H2FileCompaction(dataSource, properties.h2().compactionInterval());
	}

	@Bean
	@Primary
	JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
		return new JpaTransactionManager(entityManagerFactory);
	}
}
