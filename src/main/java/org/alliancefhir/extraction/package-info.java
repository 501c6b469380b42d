/** Turns scores into Observations, stores them with their response, and offers SDC {@code $extract}. */
package org.alliancefhir.extraction;
