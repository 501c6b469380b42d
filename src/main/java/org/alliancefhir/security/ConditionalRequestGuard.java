package org.alliancefhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.bundle.BundleEntryParts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Refuses, before anything is searched or stored, every conditional create ({@code If-None-Exist}), update, patch and
 * delete, and every conditional reference ({@code "reference": "Patient?identifier=..."}), whose match the token may
 * not search ({@link MatchUrlRules}), in single requests and in transaction and batch entries alike; HAPI's
 * AuthorizationInterceptor judges the request URL and the resources written, not what such a search matches or
 * returns, so without this a create-only token could read another patient's data or probe it by status code.
 */
@Interceptor
public class ConditionalRequestGuard {

	private static final Set<RestOperationTypeEnum> CONDITIONAL_BY_URL =
			Set.of(RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH, RestOperationTypeEnum.DELETE);

	private final MatchUrlRules rules;
	private final FhirContext fhirContext;

	ConditionalRequestGuard(MatchUrlRules rules, FhirContext fhirContext) {
		this.rules = rules;
		this.fhirContext = fhirContext;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -50)
	public void refuseUnsearchableMatches(RequestDetails request, RestOperationTypeEnum operation) {
		Optional<AccessToken> token = AccessToken.of(request);
		if (token.isEmpty()) {
			return;
		}
		List<MatchUrl> matches = new ArrayList<>();
		if (operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH) {
			if (request.getResource() instanceof IBaseBundle bundle) {
				BundleUtil.toListOfEntries(fhirContext, bundle).forEach(entry -> addEntry(matches, entry));
			}
		} else {
			addRequest(matches, request, operation);
		}
		for (MatchUrl match : matches) {
			if (!rules.maySearch(token.get(), match.url(), match.defaultType())) {
				throw SmartAuthorizationInterceptor.insufficientScope("the access token's scopes do not allow "
						+ "searching what this conditional request or conditional reference would match");
			}
		}
	}

	private void addRequest(List<MatchUrl> matches, RequestDetails request, RestOperationTypeEnum operation) {
		String type = request.getResourceName();
		String ifNoneExist = request.getConditionalUrl(RestOperationTypeEnum.CREATE);
		if (operation == RestOperationTypeEnum.CREATE && ifNoneExist != null && !ifNoneExist.isBlank()) {
			matches.add(new MatchUrl(ifNoneExist, type));
		}
		boolean withoutId = request.getId() == null || !request.getId().hasIdPart();
		if (withoutId && CONDITIONAL_BY_URL.contains(operation)) {
			// the whole query, even an empty one: HAPI's own parameters (_format...) narrow nothing down
			String complete = request.getCompleteUrl();
			int query = complete.indexOf('?');
			matches.add(new MatchUrl(type + "?" + (query < 0 ? "" : complete.substring(query + 1)), type));
		}
		addReferences(matches, request.getResource());
	}

	private void addEntry(List<MatchUrl> matches, BundleEntryParts entry) {
		String type = entry.getResource() == null
				? typeOfUrl(entry.getUrl())
				: fhirContext.getResourceType(entry.getResource());
		if (entry.getConditionalUrl() != null && !entry.getConditionalUrl().isBlank()) {
			matches.add(new MatchUrl(entry.getConditionalUrl(), type));
		} else if (entry.getRequestType() != RequestTypeEnum.GET
				&& entry.getUrl() != null
				&& entry.getUrl().contains("?")) {
			matches.add(new MatchUrl(entry.getUrl(), type));
		}
		addReferences(matches, entry.getResource());
	}

	/** Conditional references, resolved by a search when the resource is stored. */
	private void addReferences(List<MatchUrl> matches, IBaseResource resource) {
		if (resource == null) {
			return;
		}
		for (IBaseReference reference :
				fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, IBaseReference.class)) {
			String value = reference.getReferenceElement().getValue();
			if (value != null && value.contains("?") && !value.startsWith("#")) {
				matches.add(new MatchUrl(value, null));
			}
		}
	}

	private static String typeOfUrl(String url) {
		if (url == null) {
			return null;
		}
		String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
		return path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
	}

	private record MatchUrl(String url, String defaultType) {}
}
