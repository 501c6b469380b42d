package org.alliancefhir.security;

/** Marks a security integration test that runs on the shared secured server's PostgreSQL twin. */
interface OnPostgres {}
