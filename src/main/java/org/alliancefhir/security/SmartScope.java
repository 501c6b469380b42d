package org.alliancefhir.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART on FHIR resource scope in v1 ({@code patient/Observation.read}, {@code user/*.write}, {@code system/*.*})
 * or v2 syntax ({@code patient/QuestionnaireResponse.cr}, {@code user/*.cruds}); scopes the server cannot enforce
 * exactly, such as v2 scopes with search-parameter constraints ({@code ...rs?category=survey}), grant nothing.
 *
 * @see <a href="https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html">SMART scopes</a>
 */
record SmartScope(Context context, String resourceType, Set<Permission> permissions) {

	static final String ANY_TYPE = "*";

	private static final Pattern SYNTAX =
			Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]*)\\.(read|write|\\*|c?r?u?d?s?)");

	/** Whose data a scope reaches: the token's patient, what the user may see, or everything. */
	enum Context {
		PATIENT,
		USER,
		SYSTEM
	}

	/** The v2 permission letters, in their required order. */
	enum Permission {
		CREATE,
		READ,
		UPDATE,
		DELETE,
		SEARCH
	}

	/** Every resource scope in a space-separated {@code scope} claim; other scopes are left out. */
	static List<SmartScope> parseAll(String scopes) {
		if (scopes == null) {
			return List.of();
		}
		return Arrays.stream(scopes.trim().split("\\s+"))
				.map(SmartScope::parse)
				.flatMap(Optional::stream)
				.toList();
	}

	static Optional<SmartScope> parse(String scope) {
		Matcher matcher = SYNTAX.matcher(scope);
		if (!matcher.matches() || matcher.group(3).isEmpty()) {
			return Optional.empty();
		}
		Context context = Context.valueOf(matcher.group(1).toUpperCase());
		return Optional.of(new SmartScope(context, matcher.group(2), permissions(matcher.group(3))));
	}

	boolean covers(String type) {
		return ANY_TYPE.equals(resourceType) || resourceType.equals(type);
	}

	boolean allows(Permission permission) {
		return permissions.contains(permission);
	}

	private static Set<Permission> permissions(String suffix) {
		return switch (suffix) {
			case "read" -> EnumSet.of(Permission.READ, Permission.SEARCH);
			case "write" -> EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
			case "*" -> EnumSet.allOf(Permission.class);
			default -> {
				Set<Permission> letters = EnumSet.noneOf(Permission.class);
				for (Permission permission : Permission.values()) {
					if (suffix.indexOf(Character.toLowerCase(permission.name().charAt(0))) >= 0) {
						letters.add(permission);
					}
				}
				yield letters;
			}
		};
	}
}
