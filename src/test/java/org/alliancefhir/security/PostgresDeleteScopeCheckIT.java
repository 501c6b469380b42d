package org.alliancefhir.security;

/** The delete checks on PostgreSQL, where the score cascade and the delete conflicts run as in production. */
class PostgresDeleteScopeCheckIT extends DeleteScopeCheckIT implements OnPostgres {}
