/** The benchmark harness: starts the built server as its own process and drives it over loopback HTTP. */
package org.alliancefhir.bench;
