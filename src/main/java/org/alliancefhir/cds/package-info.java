/** CDS Hooks 2.0 services: cards in the EHR's workflow for a patient's open alliance alerts and low scores. */
package org.alliancefhir.cds;
