package org.alliancefhir.security;

import ca.uhn.fhir.interceptor.executor.BaseInterceptorService;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops HAPI's ERROR with a full stack trace that its interceptor service logs whenever a hook refuses a request (a
 * 403 from authorization, a 400 or 422 from a check), leaving HAPI's one-line WARN "Failure during REST processing";
 * server errors (5xx) and anything else a hook throws are still logged in full.
 */
final class RefusalLogFilter extends TurboFilter {

	private static final String INTERCEPTOR_SERVICE = BaseInterceptorService.class.getName();

	/** Adds the filter to Logback once; does nothing under another logging backend. */
	static void install() {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
				&& context.getTurboFilterList().stream().noneMatch(RefusalLogFilter.class::isInstance)) {
			RefusalLogFilter filter = new RefusalLogFilter();
			filter.start();
			context.addTurboFilter(filter);
		}
	}

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
		if (level != Level.ERROR || !INTERCEPTOR_SERVICE.equals(logger.getName()) || params == null) {
			return FilterReply.NEUTRAL;
		}
		for (Object param : params) {
			if (param instanceof BaseServerResponseException refusal && refusal.getStatusCode() < 500) {
				return FilterReply.DENY;
			}
		}
		return FilterReply.NEUTRAL;
	}
}
