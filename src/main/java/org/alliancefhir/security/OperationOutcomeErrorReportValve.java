package org.alliancefhir.security;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.Context;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Answers the errors Tomcat reports itself, before any servlet runs (request headers larger than
 * {@code server.max-http-request-header-size}, say, or a malformed request line), with a FHIR OperationOutcome in JSON
 * instead of Tomcat's HTML page, naming neither Tomcat nor the request's content.
 */
public final class OperationOutcomeErrorReportValve extends ErrorReportValve {

	private static final String OUTCOME = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
			+ "\"code\":\"invalid\",\"diagnostics\":\"The request could not be read: its request line or headers are "
			+ "malformed or larger than this server accepts (an access token, for example, that is too large)\"}]}";

	/** Replaces the error report valves of the context's host with this one. */
	public static void install(Context context) {
		if (!(context.getParent() instanceof StandardHost host)) {
			return;
		}
		host.setErrorReportValveClass(OperationOutcomeErrorReportValve.class.getName());
		for (Valve valve : host.getPipeline().getValves()) {
			if (valve instanceof ErrorReportValve && !(valve instanceof OperationOutcomeErrorReportValve)) {
				host.getPipeline().removeValve(valve);
			}
		}
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		try {
			response.setContentType("application/fhir+json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(OUTCOME);
				response.finishResponse();
			}
		} catch (IOException | IllegalStateException e) {
			// the connection is gone or the response already started: nothing more can be sent
		}
	}
}
