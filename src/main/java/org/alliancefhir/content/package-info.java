/** Loads the FHIR content of {@code profiles/} at start-up, checks it, installs it and looks Questionnaires up. */
package org.alliancefhir.content;
