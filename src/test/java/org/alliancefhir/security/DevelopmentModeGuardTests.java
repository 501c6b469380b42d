package org.alliancefhir.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.alliancefhir.security.DevelopmentModeGuard.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DevelopmentModeGuardTests {

	private static final SecurityProperties DEVELOPMENT = new SecurityProperties("", "", "", "", "", false, List.of());
	private static final SecurityProperties OPTED_IN = new SecurityProperties("", "", "", "", "", true, List.of());
	private static final SecurityProperties AUTHENTICATED = new SecurityProperties(
			"https://auth.example.org", "", "https://auth.example.org/jwks", "", "", false, List.of());

	@ParameterizedTest
	@ValueSource(strings = {"127.0.0.1", "::1", "localhost", "127.0.1.1", "[::1]"})
	void runsUnauthenticatedOnALoopbackAddress(String address) {
		assertThat(DevelopmentModeGuard.check(DEVELOPMENT, address)).isEqualTo(Mode.DEVELOPMENT_LOOPBACK);
	}

	@ParameterizedTest
	@ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10"})
	void refusesToStartUnauthenticatedOnANetworkAddress(String address) {
		assertThatThrownBy(() -> DevelopmentModeGuard.check(DEVELOPMENT, address))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageStartingWith("Refusing to start: no OAuth issuer is configured")
				.hasMessageContaining(address)
				.hasMessageContaining("ALLIANCE_SECURITY_ISSUER")
				.hasMessageContaining("ALLIANCE_SECURITY_ALLOW_UNAUTHENTICATED_NETWORK=true");
	}

	@ParameterizedTest
	@NullAndEmptySource
	void refusesToStartUnauthenticatedOnAllInterfaces(String address) {
		assertThatThrownBy(() -> DevelopmentModeGuard.check(DEVELOPMENT, address))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("all interfaces");
	}

	@Test
	void runsUnauthenticatedOnANetworkAddressOnlyWithTheExplicitOptIn() {
		assertThat(DevelopmentModeGuard.check(OPTED_IN, "0.0.0.0")).isEqualTo(Mode.DEVELOPMENT_NETWORK);
	}

	@Test
	void anIssuerAllowsAnyAddress() {
		assertThat(DevelopmentModeGuard.check(AUTHENTICATED, "0.0.0.0")).isEqualTo(Mode.AUTHENTICATED);
		assertThat(DevelopmentModeGuard.check(AUTHENTICATED, null)).isEqualTo(Mode.AUTHENTICATED);
	}
}
