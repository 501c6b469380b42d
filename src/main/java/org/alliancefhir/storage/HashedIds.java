package org.alliancefhir.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic resource ids for what the server derives: a prefix and the leading hex digits of the SHA-256 of what
 * the resource is about, so deriving the same thing again writes the same resource (ids are at most 64 characters).
 */
public final class HashedIds {

	private HashedIds() {}

	/** {@code prefix} followed by the first {@code hexDigits} hex digits of the SHA-256 of {@code value}. */
	public static String of(String prefix, String value, int hexDigits) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return prefix + HexFormat.of().formatHex(hash).substring(0, hexDigits);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
		}
	}
}
