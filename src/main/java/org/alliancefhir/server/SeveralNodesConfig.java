package org.alliancefhir.server;

import ca.uhn.fhir.jpa.cache.IResourceChangeListenerRegistry;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionLoader;
import java.time.Duration;
import org.alliancefhir.content.ObservationDefinitionCatalog;
import org.alliancefhir.content.QuestionnaireCatalog;
import org.alliancefhir.content.StoredContentWatch;
import org.alliancefhir.feedback.FeedbackRuleCatalog;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps several server nodes on one database consistent: what a node caches from the database (Questionnaires,
 * ObservationDefinitions, feedback rules, active Subscriptions) is read again once another node changed it.
 */
@Configuration
class SeveralNodesConfig {

	/**
	 * Settings for running several nodes on one database.
	 *
	 * @param refreshInterval how often each node asks the database whether cached content changed (HAPI's own
	 *     poll of Subscriptions runs only every 60 s)
	 */
	@ConfigurationProperties("alliance.nodes")
	record NodesProperties(@DefaultValue("5s") Duration refreshInterval) {}

	@Bean
	StoredContentWatch storedContentWatch(
			IResourceChangeListenerRegistry registry,
			NodesProperties properties,
			QuestionnaireCatalog questionnaires,
			ObservationDefinitionCatalog definitions,
			FeedbackRuleCatalog rules,
			SubscriptionLoader subscriptions) {
		StoredContentWatch watch = new StoredContentWatch(registry, properties.refreshInterval());
		watch.watch("Questionnaire", questionnaires::forget);
		watch.watch("Questionnaire", rules.perspectives()::forget);
		watch.watch("ObservationDefinition", definitions::forget);
		watch.watch("PlanDefinition", rules::forget);
		// a Subscription created through another node must match the changes this node delivers
		watch.watch("Subscription", subscriptions::forceRefresh);
		return watch;
	}
}
