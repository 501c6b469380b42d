/** Authenticates OAuth 2.0 bearer tokens, authorizes SMART on FHIR scopes and keeps the audit trail. */
package org.alliancefhir.security;
