package org.alliancefhir.content;

/**
 * Told once the content is installed at start-up, so a feature can read what it needs from the store and refuse to
 * start when that content is unusable.
 */
public interface ContentInstalledListener {

	/**
	 * @throws InvalidContentException naming the resource and the problem, to stop the start-up
	 */
	void contentInstalled();
}
