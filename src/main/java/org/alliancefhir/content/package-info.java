/**
 * Loads the FHIR content of {@code profiles/} at start-up, checks it, installs it, looks Questionnaires up, and
 * publishes it as a FHIR NPM package.
 */
package org.alliancefhir.content;
