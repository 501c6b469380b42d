package org.alliancefhir.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.alliancefhir.content.ProjectUrls;
import org.hl7.fhir.r4.model.Device;

/**
 * One Device per OAuth client that has used the server, created on first use under an id derived from its
 * {@code client_id}, so AuditEvents can refer to the client ({@code AuditEvent?agent:Device.identifier=<system>|<id>}).
 */
class ClientDevices {

	static final String IDENTIFIER_SYSTEM = ProjectUrls.BASE + "/identifier/oauth-client";

	private static final String ID_PREFIX = "client-";
	private static final int ID_HASH_CHARACTERS = 32;

	private final DaoRegistry daoRegistry;
	private final Set<String> stored = ConcurrentHashMap.newKeySet();

	ClientDevices(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
	}

	static String reference(String clientId) {
		return "Device/" + id(clientId);
	}

	/** Whether the token names a client whose Device is not known to exist. */
	boolean missing(AccessToken token) {
		return token != null && token.clientId() != null && !stored.contains(token.clientId());
	}

	/** Stores the Device of the token's client unless it is known to exist; call inside a transaction. */
	void ensure(AccessToken token) {
		if (!missing(token)) {
			return;
		}
		Device device = new Device();
		device.setId(id(token.clientId()));
		device.addIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(token.clientId());
		device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
		device.getType().setText("OAuth 2.0 client application");
		daoRegistry.getResourceDao(Device.class).update(device, new SystemRequestDetails());
		stored.add(token.clientId());
	}

	/** Forgets which Devices exist, after a write that may have failed for want of one. */
	void forget() {
		stored.clear();
	}

	private static String id(String clientId) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(clientId.getBytes(StandardCharsets.UTF_8));
			return ID_PREFIX + HexFormat.of().formatHex(hash).substring(0, ID_HASH_CHARACTERS);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
