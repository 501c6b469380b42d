package org.alliancefhir.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.util.List;
import org.alliancefhir.scoring.ScoringEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Reads, checks and installs the content once all beans exist and before the web server accepts requests, so the
 * first request already finds every instrument; invalid content stops the start-up with the file and the problem.
 */
public class ContentStartup implements SmartInitializingSingleton {

	private static final Logger LOG = LoggerFactory.getLogger(ContentStartup.class);

	private final ContentProperties properties;
	private final ContentReader reader;
	private final ContentInstaller installer;
	private final ContentChecker checker;
	private final List<ContentInstalledListener> listeners;

	public ContentStartup(
			ContentProperties properties,
			FhirContext fhirContext,
			DaoRegistry daoRegistry,
			ScoringEngine scoringEngine,
			List<ContentInstalledListener> listeners) {
		this.properties = properties;
		this.reader = new ContentReader(fhirContext);
		this.installer = new ContentInstaller(daoRegistry);
		this.checker = new ContentChecker(scoringEngine);
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<ContentFile> content = load();
		ContentInstaller.Report report = installer.install(content);
		LOG.info(
				"Content from {}: {} resources, {} created, {} updated, {} unchanged",
				properties.location(),
				content.size(),
				report.created(),
				report.updated(),
				report.unchanged());
		listeners.forEach(ContentInstalledListener::contentInstalled);
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
