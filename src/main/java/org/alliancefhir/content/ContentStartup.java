package org.alliancefhir.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.util.List;
import java.util.Optional;
import org.alliancefhir.scoring.ScoringEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads, checks and installs the content once all beans exist and before the web server accepts requests, so the
 * first request already finds every instrument; invalid content stops the start-up with the file and the problem.
 * Content whose hash the database already recorded is not installed again; otherwise it is installed in one
 * transaction together with its new hash.
 */
public class ContentStartup implements SmartInitializingSingleton {

	private static final Logger LOG = LoggerFactory.getLogger(ContentStartup.class);

	private final ContentProperties properties;
	private final ContentReader reader;
	private final ContentInstaller installer;
	private final ContentChecker checker;
	private final FhirContext fhirContext;
	private final InstalledContentHash installedHash;
	private final TransactionTemplate transactions;
	private final List<ContentInstalledListener> listeners;

	public ContentStartup(
			ContentProperties properties,
			FhirContext fhirContext,
			DaoRegistry daoRegistry,
			ScoringEngine scoringEngine,
			InstalledContentHash installedHash,
			PlatformTransactionManager transactionManager,
			List<ContentInstalledListener> listeners) {
		this.properties = properties;
		this.fhirContext = fhirContext;
		this.installedHash = installedHash;
		this.transactions = transactionManager == null ? null : new TransactionTemplate(transactionManager);
		this.reader = new ContentReader(fhirContext);
		this.installer = new ContentInstaller(daoRegistry);
		this.checker = new ContentChecker(scoringEngine);
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<ContentFile> content = load();
		Optional<ContentInstaller.Report> report = installIfChanged(content);
		if (report.isEmpty()) {
			LOG.info(
					"Content from {}: {} resources, the same as last installed: nothing to install",
					properties.location(),
					content.size());
		} else {
			LOG.info(
					"Content from {}: {} resources, {} created, {} updated, {} unchanged",
					properties.location(),
					content.size(),
					report.get().created(),
					report.get().updated(),
					report.get().unchanged());
		}
		listeners.forEach(ContentInstalledListener::contentInstalled);
	}

	/**
	 * Installs the content and records its hash, in one transaction, unless the database recorded the same hash.
	 *
	 * @return what the installation did, or empty when the content was the one last installed
	 */
	Optional<ContentInstaller.Report> installIfChanged(List<ContentFile> content) {
		String hash = InstalledContentHash.of(content, fhirContext);
		if (installedHash.installed().filter(hash::equals).isPresent()) {
			return Optional.empty();
		}
		return Optional.of(transactions.execute(status -> {
			ContentInstaller.Report report = installer.install(content);
			installedHash.record(hash);
			return report;
		}));
	}

	/** The content to install: shipped files, with licensed wording applied, checked. */
	List<ContentFile> load() {
		List<ContentFile> content = reader.read(properties.location());
		if (!properties.licensedWordingDir().isBlank()) {
			List<ContentFile> licensed = reader.read("file:" + properties.licensedWordingDir());
			content = new LicensedWording().apply(content, licensed);
			LOG.info(
					"Applied licensed wording for {} Questionnaire(s) from {}",
					licensed.size(),
					properties.licensedWordingDir());
		}
		List<String> problems = checker.check(content);
		if (!problems.isEmpty()) {
			throw new InvalidContentException(problems);
		}
		return content;
	}
}
