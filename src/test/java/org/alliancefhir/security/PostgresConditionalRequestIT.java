package org.alliancefhir.security;

/** The conditional-request checks on PostgreSQL, whose searches and match counts the guarded requests rely on. */
class PostgresConditionalRequestIT extends ConditionalRequestIT implements OnPostgres {}
