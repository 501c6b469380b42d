package org.alliancefhir.server;

import ca.uhn.fhir.interceptor.executor.BaseInterceptorService;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps refused content out of the log: HAPI logs every exception a hook throws at ERROR with its message and stack
 * trace, and REST failures at WARN with the message, and our 400 and 422 messages name the refused value (an answer
 * of 11.77) so the client can fix it. For every refusal (4xx, authentication and authorization included) this filter
 * drops those lines and logs one WARN line instead, with the status and the kind of refusal, without the message.
 */
class RefusalLogFilter extends TurboFilter {

	private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(RefusalLogFilter.class);
	private static final Set<String> HAPI_LOGGERS =
			Set.of(BaseInterceptorService.class.getName(), ExceptionHandlingInterceptor.class.getName());
	/** {@code Throwable.toString()} of a HAPI server exception: its class name, a colon, its message. */
	private static final Pattern DESCRIBED_EXCEPTION =
			Pattern.compile("^(ca\\.uhn\\.fhir\\.rest\\.server\\.exceptions\\.\\w+): ");

	/** Adds the filter to the logging system; Spring Boot has configured logging before any bean is built. */
	static RefusalLogFilter install() {
		RefusalLogFilter filter = new RefusalLogFilter();
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
			filter.setContext(context);
			filter.start();
			context.addTurboFilter(filter);
		}
		return filter;
	}

	@Override
	public FilterReply decide(
			Marker marker, Logger logger, Level level, String format, Object[] params, Throwable throwable) {
		if (level == null || !level.isGreaterOrEqual(Level.WARN) || !HAPI_LOGGERS.contains(logger.getName())) {
			return FilterReply.NEUTRAL;
		}
		Refusal refusal = refusal(throwable, params);
		if (refusal == null) {
			return FilterReply.NEUTRAL;
		}
		if (ExceptionHandlingInterceptor.class.getName().equals(logger.getName())) {
			LOG.warn("Refused a request: HTTP {} ({})", refusal.status(), refusal.kind());
		}
		return FilterReply.DENY;
	}

	private static Refusal refusal(Throwable throwable, Object[] params) {
		Refusal found = refusal(throwable);
		for (int i = 0; found == null && params != null && i < params.length; i++) {
			found = (params[i] instanceof Throwable t) ? refusal(t) : described(params[i]);
		}
		return found;
	}

	private static Refusal refusal(Throwable throwable) {
		return (throwable instanceof BaseServerResponseException response)
				? refusal(response.getStatusCode(), response.getClass().getSimpleName())
				: null;
	}

	/** The refusal a logged {@code toString()} describes, from the {@code STATUS_CODE} of its HAPI exception class. */
	private static Refusal described(Object param) {
		Matcher described = (param instanceof String text) ? DESCRIBED_EXCEPTION.matcher(text) : null;
		if (described == null || !described.find()) {
			return null;
		}
		try {
			Class<?> type = Class.forName(described.group(1));
			if (BaseServerResponseException.class.isAssignableFrom(type)) {
				return refusal(type.getField("STATUS_CODE").getInt(null), type.getSimpleName());
			}
		} catch (ReflectiveOperationException notAServerException) {
			// not a refusal this filter knows
		}
		return null;
	}

	private static Refusal refusal(int status, String kind) {
		return status >= 400 && status < 500 ? new Refusal(status, kind) : null;
	}

	private record Refusal(int status, String kind) {}
}
