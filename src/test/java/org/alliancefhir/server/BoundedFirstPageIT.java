package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import java.util.UUID;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A search for a bounded first page ({@code _count} up to 100) stores no search record and links further pages by
 * {@code _offset}; following them reaches every match once. Searches without {@code _count} keep HAPI's stored
 * search.
 */
class BoundedFirstPageIT extends ServerIntegrationTest {

	@Autowired
	private DataSource dataSource;

	@Test
	void aBoundedFirstPageStoresNoSearchAndItsNextLinksReachEveryMatchOnce() {
		String family = "Bounded-" + UUID.randomUUID();
		for (int i = 0; i < 60; i++) {
			client().create().resource(patient(family, i)).execute();
		}
		int searches = storedSearches();

		Bundle first = search(family).count(50).returnBundle(Bundle.class).execute();

		assertThat(storedSearches()).as("no stored search record").isEqualTo(searches);
		assertThat(first.getEntry()).hasSize(50);
		assertThat(first.getLink(Bundle.LINK_NEXT).getUrl())
				.contains("_offset=50")
				.doesNotContain("_getpages");
		Bundle second = client().loadPage().next(first).execute();
		assertThat(second.getEntry()).hasSize(10);
		assertThat(second.getLink(Bundle.LINK_NEXT)).isNull();
		assertThat(given(first, second))
				.containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 60)
						.mapToObj(i -> "n" + i)
						.toList());
	}

	@Test
	void aPageThatHoldsEveryMatchHasItsTotalAndNoNextLink() {
		String family = "Bounded-" + UUID.randomUUID();
		for (int i = 0; i < 30; i++) {
			client().create().resource(patient(family, i)).execute();
		}

		Bundle page = search(family).count(50).returnBundle(Bundle.class).execute();

		assertThat(page.getEntry()).hasSize(30);
		assertThat(page.getTotal()).isEqualTo(30);
		assertThat(page.getLink(Bundle.LINK_NEXT)).isNull();
	}

	@Test
	void aSearchWithoutCountKeepsTheStoredSearch() {
		String family = "Bounded-" + UUID.randomUUID();
		for (int i = 0; i < 23; i++) {
			client().create().resource(patient(family, i)).execute();
		}
		int searches = storedSearches();

		Bundle first = search(family).returnBundle(Bundle.class).execute();

		assertThat(first.getEntry()).hasSize(20);
		assertThat(first.getLink(Bundle.LINK_NEXT).getUrl()).contains("_getpages");
		assertThat(storedSearches()).isEqualTo(searches + 1);
		assertThat(client().loadPage().next(first).execute().getEntry()).hasSize(3);
	}

	private ca.uhn.fhir.rest.gclient.IQuery<?> search(String family) {
		return client().search()
				.forResource(Patient.class)
				.where(Patient.FAMILY.matchesExactly().value(family))
				.cacheControl(new CacheControlDirective().setNoCache(true));
	}

	private int storedSearches() {
		return new JdbcTemplate(dataSource).queryForObject("select count(*) from HFJ_SEARCH", Integer.class);
	}

	private static java.util.List<String> given(Bundle... pages) {
		return java.util.Arrays.stream(pages)
				.flatMap(p -> p.getEntry().stream())
				.map(e -> ((Patient) e.getResource()).getNameFirstRep().getGivenAsSingleString())
				.toList();
	}

	private static Patient patient(String family, int n) {
		Patient patient = new Patient();
		patient.addName().setFamily(family).addGiven("n" + n);
		return patient;
	}
}
