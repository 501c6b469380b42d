/** The clinician app: serves the SMART on FHIR dashboard and session form under /app/ with their security headers. */
package org.alliancefhir.app;
