package org.alliancefhir.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at start-up whether the server may run as configured: with an issuer it authenticates every request; without
 * one (development mode) it answers anyone who can reach it, so it must listen on a loopback address only, unless the
 * operator explicitly opts in to an unauthenticated network address, which is then reported at ERROR on every start.
 */
public final class DevelopmentModeGuard {

	private static final Logger LOG = LoggerFactory.getLogger(DevelopmentModeGuard.class);

	/** How the server runs. */
	public enum Mode {
		AUTHENTICATED,
		DEVELOPMENT_LOOPBACK,
		DEVELOPMENT_NETWORK
	}

	private DevelopmentModeGuard() {}

	/**
	 * Checks the configuration and logs the mode.
	 *
	 * @param bindAddress {@code server.address}; {@code null} or blank means every interface
	 * @throws IllegalStateException when the server would be unauthenticated on a network address without opt-in
	 */
	public static Mode check(SecurityProperties security, String bindAddress) {
		Mode mode = decide(security, bindAddress);
		switch (mode) {
			case AUTHENTICATED -> LOG.info("Authentication: bearer tokens issued by {}", security.issuer());
			case DEVELOPMENT_LOOPBACK -> LOG.warn(
					"DEVELOPMENT MODE: no authentication, every request is allowed; listening on {} (loopback) only. "
							+ "Set alliance.security.issuer (ALLIANCE_SECURITY_ISSUER) before handling real data.",
					bindAddress);
			case DEVELOPMENT_NETWORK -> LOG.error(
					"DEVELOPMENT MODE ON A NETWORK ADDRESS: no authentication, every request is allowed, and the server "
							+ "listens on {} because alliance.security.allow-unauthenticated-network is true. Anyone who "
							+ "can reach this address can read and change all data.",
					bindAddress == null || bindAddress.isBlank() ? "all interfaces" : bindAddress);
		}
		return mode;
	}

	static Mode decide(SecurityProperties security, String bindAddress) {
		if (security.enabled()) {
			return Mode.AUTHENTICATED;
		}
		if (isLoopback(bindAddress)) {
			return Mode.DEVELOPMENT_LOOPBACK;
		}
		if (security.allowUnauthenticatedNetwork()) {
			return Mode.DEVELOPMENT_NETWORK;
		}
		throw new IllegalStateException("Refusing to start: no OAuth issuer is configured (alliance.security.issuer, "
				+ "environment ALLIANCE_SECURITY_ISSUER), so every request would be allowed, and the server would listen "
				+ "on " + (bindAddress == null || bindAddress.isBlank() ? "all interfaces" : bindAddress)
				+ ", which is not a loopback address (server.address, environment SERVER_ADDRESS). Configure an issuer, "
				+ "or listen on 127.0.0.1, or accept the risk explicitly with "
				+ "ALLIANCE_SECURITY_ALLOW_UNAUTHENTICATED_NETWORK=true.");
	}

	static boolean isLoopback(String bindAddress) {
		if (bindAddress == null || bindAddress.isBlank()) {
			return false;
		}
		try {
			return InetAddress.getByName(bindAddress.trim()).isLoopbackAddress();
		} catch (UnknownHostException e) {
			return false;
		}
	}
}
