package org.alliancefhir.content;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.gclient.UriClientParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.alliancefhir.server.ServerIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The instruments are installed at start-up, searchable, versioned; re-installing changes nothing, and content with
 * the hash last installed is not installed again.
 */
class ContentIT extends ServerIntegrationTest {

	private static final String SRS = "https://alliancefhir.org/fhir/Questionnaire/srs";
	private static final String HASH_TEST_VALUE_SET = "https://alliancefhir.org/fhir/ValueSet/hash-test";

	@Autowired
	ContentStartup contentStartup;

	@Autowired
	QuestionnaireCatalog catalog;

	@Autowired
	DaoRegistry daoRegistry;

	@Test
	void everyInstrumentIsServedAsAQuestionnaire() {
		Bundle all = client().search()
				.forResource(Questionnaire.class)
				.count(50)
				.returnBundle(Bundle.class)
				.execute();

		assertThat(all.getEntry())
				.extracting(e -> ((Questionnaire) e.getResource()).getUrl())
				.contains(
						"https://alliancefhir.org/fhir/Questionnaire/wav-12-client",
						"https://alliancefhir.org/fhir/Questionnaire/wav-12-therapist",
						SRS,
						"https://alliancefhir.org/fhir/Questionnaire/csrs",
						"https://alliancefhir.org/fhir/Questionnaire/gsrs",
						"https://alliancefhir.org/fhir/Questionnaire/ors",
						"https://alliancefhir.org/fhir/Questionnaire/cors",
						"https://alliancefhir.org/fhir/Questionnaire/ors-parent",
						"https://alliancefhir.org/fhir/Questionnaire/cors-parent",
						"https://alliancefhir.org/fhir/Questionnaire/softa-s-client",
						"https://alliancefhir.org/fhir/Questionnaire/softa-s-therapist",
						"https://alliancefhir.org/fhir/Questionnaire/softa-o");
	}

	@Test
	void questionnairesAreFoundByUrlNameAndRespondentContext() {
		assertThat(search("url", SRS)).containsExactly("srs");
		assertThat(searchName("SessionRatingScale")).containsExactly("srs");
		assertThat(searchContext("therapist")).containsExactlyInAnyOrder("wav-12-therapist", "softa-s-therapist");
		assertThat(searchContext("observer")).containsExactly("softa-o");
		assertThat(searchContext("parent")).containsExactlyInAnyOrder("ors-parent", "cors-parent");
	}

	@Test
	void catalogResolvesVersionedAndUnversionedCanonicals() {
		assertThat(catalog.find(SRS + "|1.0.0"))
				.get()
				.extracting(Questionnaire::getVersion)
				.isEqualTo("1.0.0");
		assertThat(catalog.find(SRS))
				.get()
				.extracting(Questionnaire::getVersion)
				.isEqualTo("1.0.0");
		assertThat(catalog.find(SRS + "|9.9.9")).isEmpty();
		assertThat(catalog.find("https://example.org/Questionnaire/unknown")).isEmpty();
	}

	@Test
	void installingTheSameContentAgainChangesNothing() {
		List<ContentFile> content = contentStartup.load();

		ContentInstaller.Report report = new ContentInstaller(daoRegistry).install(content);

		assertThat(report.created()).isZero();
		assertThat(report.updated()).isZero();
		assertThat(report.unchanged()).isEqualTo(content.size());
		Questionnaire srs =
				client().read().resource(Questionnaire.class).withId("srs").execute();
		assertThat(srs.getMeta().getVersionId()).isEqualTo("1");
	}

	@Test
	void startingAgainWithTheContentLastInstalledInstallsNothing() {
		assertThat(contentStartup.installIfChanged(contentStartup.load())).isEmpty();
	}

	@Test
	void changedContentIsInstalledOnceAndItsHashRecorded() {
		Optional<ContentInstaller.Report> changed = contentStartup.installIfChanged(withExtraQuestionnaire());
		Optional<ContentInstaller.Report> again = contentStartup.installIfChanged(withExtraQuestionnaire());
		Optional<ContentInstaller.Report> shippedAgain = contentStartup.installIfChanged(contentStartup.load());

		assertThat(changed).get().extracting(ContentInstaller.Report::created).isEqualTo(1);
		assertThat(changed)
				.get()
				.extracting(ContentInstaller.Report::unchanged)
				.isEqualTo(contentStartup.load().size());
		assertThat(again).isEmpty();
		assertThat(shippedAgain)
				.get()
				.extracting(ContentInstaller.Report::created)
				.isEqualTo(0);
		assertThat(shippedAgain)
				.get()
				.extracting(ContentInstaller.Report::updated)
				.isEqualTo(0);
		assertThat(client().search()
						.forResource(ValueSet.class)
						.where(new UriClientParam("url").matches().value(HASH_TEST_VALUE_SET))
						.returnBundle(Bundle.class)
						.execute()
						.getEntry())
				.hasSize(1);
		assertThat(contentStartup.installIfChanged(contentStartup.load())).isEmpty();
	}

	@Test
	void aChangedFileWithTheSameVersionUpdatesAndANewVersionIsStoredBesideTheOld() {
		Questionnaire original = shipped("ors");
		Questionnaire changed = original.copy();
		changed.setUrl("https://alliancefhir.org/fhir/Questionnaire/ors-install-test");
		changed.setId("ors-install-test");
		ContentInstaller installer = new ContentInstaller(daoRegistry);
		installer.install(List.of(new ContentFile("Questionnaire-ors-install-test.json", changed)));

		Questionnaire retitled = changed.copy();
		retitled.setTitle("Retitled");
		ContentInstaller.Report update =
				installer.install(List.of(new ContentFile("Questionnaire-ors-install-test.json", retitled)));
		Questionnaire nextVersion = changed.copy();
		nextVersion.setVersion("1.1.0");
		ContentInstaller.Report besides =
				installer.install(List.of(new ContentFile("Questionnaire-ors-install-test.json", nextVersion)));

		assertThat(update.updated()).isEqualTo(1);
		assertThat(besides.created()).isEqualTo(1);
		assertThat(catalog.find(changed.getUrl() + "|1.0.0"))
				.get()
				.extracting(Questionnaire::getTitle)
				.isEqualTo("Retitled");
		assertThat(catalog.find(changed.getUrl() + "|1.1.0"))
				.get()
				.extracting(q -> q.getIdElement().getIdPart())
				.isEqualTo("ors-install-test-1.1.0");
		assertThat(catalog.find(changed.getUrl()))
				.get()
				.extracting(Questionnaire::getVersion)
				.isEqualTo("1.1.0");
	}

	private List<ContentFile> withExtraQuestionnaire() {
		List<ContentFile> content = new ArrayList<>(contentStartup.load());
		ValueSet extra = content.stream()
				.map(ContentFile::resource)
				.filter(ValueSet.class::isInstance)
				.map(r -> ((ValueSet) r).copy())
				.findFirst()
				.orElseThrow();
		extra.setUrl(HASH_TEST_VALUE_SET);
		extra.setName("HashTest");
		extra.setId("hash-test");
		content.add(new ContentFile("ValueSet-hash-test.json", extra));
		return content;
	}

	private Questionnaire shipped(String id) {
		return contentStartup.load().stream()
				.filter(f -> f.id().equals(id) && f.resource() instanceof Questionnaire)
				.map(f -> (Questionnaire) f.resource())
				.findFirst()
				.orElseThrow();
	}

	private List<String> search(String parameter, String url) {
		return ids(client().search()
				.forResource(Questionnaire.class)
				.where(new UriClientParam(parameter).matches().value(url))
				.returnBundle(Bundle.class)
				.execute());
	}

	private List<String> searchName(String name) {
		return ids(client().search()
				.forResource(Questionnaire.class)
				.where(new StringClientParam("name").matchesExactly().value(name))
				.returnBundle(Bundle.class)
				.execute());
	}

	private List<String> searchContext(String perspective) {
		return ids(client().search()
				.forResource(Questionnaire.class)
				.where(new TokenClientParam("context").exactly().code(perspective))
				.returnBundle(Bundle.class)
				.execute());
	}

	private static List<String> ids(Bundle bundle) {
		return bundle.getEntry().stream()
				.map(e -> e.getResource().getIdElement().getIdPart())
				.toList();
	}
}
