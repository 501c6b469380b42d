package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.executor.BaseInterceptorService;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/** HAPI's lines about 4xx refusals are dropped, 401 and 403 included; server errors and other loggers are left alone. */
class RefusalLogFilterTests {

	private final LoggerContext context = new LoggerContext();
	private final Logger hooks = context.getLogger(BaseInterceptorService.class);
	private final Logger rest = context.getLogger(ExceptionHandlingInterceptor.class);
	private final RefusalLogFilter filter = new RefusalLogFilter();

	@Test
	void dropsTheHookErrorOfARefusalWhateverItsMessage() {
		UnprocessableEntityException refusal =
				new UnprocessableEntityException("Item 'q1': The value 11.77 is too high");

		assertThat(decide(hooks, Level.ERROR, "pointcut", refusal.toString(), refusal))
				.isEqualTo(FilterReply.DENY);
		assertThat(decide(hooks, Level.ERROR, "pointcut", new InvalidRequestException("x")))
				.isEqualTo(FilterReply.DENY);
	}

	@Test
	void dropsTheRestWarningThatQuotesARefusal() {
		String described = new UnprocessableEntityException("The value 11.77").toString();

		assertThat(decide(rest, Level.WARN, described)).isEqualTo(FilterReply.DENY);
	}

	@Test
	void dropsTheHookErrorOfAnAuthenticationOrAuthorizationRefusal() {
		assertThat(decide(hooks, Level.ERROR, "p", new ForbiddenOperationException("no")))
				.isEqualTo(FilterReply.DENY);
		assertThat(decide(hooks, Level.ERROR, "p", new AuthenticationException("no")))
				.isEqualTo(FilterReply.DENY);
	}

	@Test
	void leavesServerErrorsAndOtherLoggersAlone() {
		assertThat(decide(hooks, Level.ERROR, "p", new InternalErrorException("boom")))
				.isEqualTo(FilterReply.NEUTRAL);
		assertThat(decide(context.getLogger("org.alliancefhir.x"), Level.ERROR, new InvalidRequestException("x")))
				.isEqualTo(FilterReply.NEUTRAL);
		assertThat(decide(rest, Level.INFO, new InvalidRequestException("x").toString()))
				.isEqualTo(FilterReply.NEUTRAL);
	}

	private FilterReply decide(Logger logger, Level level, Object... params) {
		return filter.decide(null, logger, level, "{}", params, null);
	}
}
