/** The server's own writes of derived resources, through HAPI's DAOs inside the current transaction. */
package org.alliancefhir.storage;
