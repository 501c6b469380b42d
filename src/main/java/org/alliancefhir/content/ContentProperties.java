package org.alliancefhir.content;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the FHIR content comes from.
 *
 * @param location the content folder; the build copies {@code profiles/} to {@code classpath:profiles/}
 * @param licensedWordingDir a folder with official Questionnaire wording for a licensed site, or empty for none
 */
@ConfigurationProperties("alliance.content")
public record ContentProperties(
		@DefaultValue("classpath:profiles/") String location, @DefaultValue("") String licensedWordingDir) {}
