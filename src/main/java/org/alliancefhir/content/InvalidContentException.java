package org.alliancefhir.content;

import java.util.List;

/** The content folder (or a licensed-wording folder) holds a file the server refuses to start with. */
public class InvalidContentException extends RuntimeException {

	private final List<String> problems;

	public InvalidContentException(List<String> problems) {
		super("The FHIR content is invalid; the server does not start until it is fixed:\n  - "
				+ String.join("\n  - ", problems));
		this.problems = List.copyOf(problems);
	}

	public InvalidContentException(String problem) {
		this(List.of(problem));
	}

	public List<String> problems() {
		return problems;
	}
}
