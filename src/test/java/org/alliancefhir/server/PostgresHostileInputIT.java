package org.alliancefhir.server;

/** The hostile-input matrix of {@link HostileInputIT}, run against a server on a fresh PostgreSQL database. */
class PostgresHostileInputIT extends HostileInputIT {

	private FreshPostgresDatabase database;
	private LaunchedServer server;

	@Override
	protected void startTarget() {
		database = FreshPostgresDatabase.create();
		server = LaunchedServer.start(database.serverProperties());
	}

	@Override
	protected void stopTarget() throws Exception {
		if (server != null) {
			server.close();
		}
		if (database != null) {
			database.close();
		}
	}

	@Override
	protected String baseUrl() {
		return server.baseUrl();
	}
}
