package org.alliancefhir.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrustedCdsClientsTests {

	private static final Clock CLOCK = Clock.systemUTC();

	@Test
	void anEntryIsAnIssuerAndAJwkSetUrl() {
		TrustedCdsClients clients = clients("https://ehr.example.org=https://ehr.example.org/jwks.json");

		assertThat(clients.configured()).isTrue();
		assertThat(clients(List.of()).configured()).isFalse();
	}

	@Test
	void aMalformedEntryOrJwkSetUrlStopsTheStartNamingTheSetting() {
		assertThatThrownBy(() -> clients("https://ehr.example.org"))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("alliance.cds.trusted-clients entries are <issuer>=<JWK set URL or file: path>");
		assertThatThrownBy(() -> clients("https://ehr.example.org=ftp://ehr.example.org/jwks.json"))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("alliance.cds.trusted-clients is not a valid http(s): URL or file: path");
	}

	@Test
	void somethingThatIsNotASignedJwtIsRefusedWithoutAnIssuer() {
		TrustedCdsClients clients = clients("https://ehr.example.org=https://ehr.example.org/jwks.json");

		assertThat(TrustedCdsClients.issuerOf("opaque-token")).isEmpty();
		assertThatThrownBy(() -> clients.verify("opaque-token", Set.of("https://fhir.example.org/cds-services/x")))
				.isInstanceOf(AuthenticationException.class)
				.hasMessage("The CDS client's JWT (Authorization: Bearer) is not a signed JWT");
	}

	private static TrustedCdsClients clients(String entry) {
		return clients(List.of(entry));
	}

	private static TrustedCdsClients clients(List<String> entries) {
		return new TrustedCdsClients(entries, new UsedTokenIds(10, CLOCK), CLOCK);
	}
}
