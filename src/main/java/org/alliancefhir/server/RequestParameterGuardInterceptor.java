package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.UrlUtil;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Refuses, with 400, request parameters that HAPI would pass on to the database unchecked: characters FHIR strings
 * must not contain (a NUL failed with 500 on PostgreSQL), negative paging numbers ({@code _offset=-1} failed with
 * 500; {@code _count=-1} returned a {@code next} link pointing to itself, so a paging client never stopped) and
 * numbers beyond {@link NumberLimits} in number, quantity and composite parameters ({@code value-quantity=1e999999999}
 * held a worker thread for a minute and exhausted the heap), and the {@code :text} modifier, for which this server
 * keeps no index (HAPI answered 405). Form parameters of {@code POST _search} are among the
 * request's parameters, so they are checked too.
 */
@Interceptor
public class RequestParameterGuardInterceptor {

	private static final Set<String> PAGING = Set.of("_count", "_offset", "_getpagesoffset");
	private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("\\d{1,9}");
	private static final String TEXT_MODIFIER = ":text";

	private final NumericSearchParameters numericParameters;

	RequestParameterGuardInterceptor(FhirContext fhirContext) {
		this.numericParameters = new NumericSearchParameters(fhirContext);
	}

	@Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
	public void rejectUnusableParameters(RequestDetails request) {
		rejectUnusable(request.getParameters());
		rejectUnusableQuery(request.getHeader(Constants.HEADER_IF_NONE_EXIST));
	}

	/**
	 * The GET entries of a batch or transaction come here as requests of their own, with their URL's parameters (and
	 * get their own 400 inside the Bundle's answer); the searches behind its conditional entries ({@code ifNoneExist},
	 * a conditional update's, patch's or delete's URL) are checked on the Bundle, before any entry runs.
	 */
	@Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
	public void rejectUnusableEntryParameters(RequestDetails request) {
		rejectUnusable(request.getParameters());
		if (request.getResource() instanceof Bundle bundle) {
			for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
				rejectUnusableQuery(entry.getRequest().getIfNoneExist());
				if (entry.getRequest().getMethod() != Bundle.HTTPVerb.GET) {
					rejectUnusableQuery(entry.getRequest().getUrl());
				}
			}
		}
	}

	private void rejectUnusableQuery(String url) {
		if (url != null && url.indexOf('?') >= 0) {
			rejectUnusable(UrlUtil.parseQueryString(url.substring(url.indexOf('?') + 1)));
		}
	}

	private void rejectUnusable(Map<String, String[]> parameters) {
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			String name = parameter.getKey();
			if (name.endsWith(TEXT_MODIFIER)) {
				throw new InvalidRequestException("Parameter '" + sanitized(name)
						+ "': this server does not support the :text modifier (codes are not indexed as text); "
						+ "search by system|code instead");
			}
			for (String value : parameter.getValue()) {
				String invalid = FhirStrings.firstInvalidCharacter(name + value);
				if (invalid != null) {
					throw new InvalidRequestException("Parameter '" + sanitized(name) + "' contains the character "
							+ invalid + ", which FHIR does not allow in strings");
				}
				if (PAGING.contains(name)
						&& !NON_NEGATIVE_INTEGER.matcher(value).matches()) {
					throw new InvalidRequestException(
							"Parameter '" + name + "' must be a non-negative integer, not '" + value + "'");
				}
				if (numericParameters.isNumeric(name)) {
					rejectExcessiveNumbers(name, value);
				}
			}
		}
	}

	private static void rejectExcessiveNumbers(String name, String value) {
		for (String number : NumericSearchParameters.numbersIn(value)) {
			String excess = NumberLimits.excess(number);
			if (excess != null) {
				throw new InvalidRequestException("Parameter '" + name + "': " + excess);
			}
		}
	}

	private static String sanitized(String name) {
		return name.replaceAll("\\p{Cntrl}", "?");
	}
}
