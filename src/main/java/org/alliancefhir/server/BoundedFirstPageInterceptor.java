package org.alliancefhir.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Runs a client's search for a bounded first page (the client's own {@code _count} up to {@value #MAX_COUNT}, no
 * {@code _offset}, no includes) as HAPI's synchronous offset search: one SQL query limited to the page (plus one row,
 * to know whether there is more), no stored search record or result list. Further pages are linked by {@code _offset} instead of a
 * stored search ({@code _getpages}); each is again one limited query. Other searches keep HAPI's stored searches.
 */
@Interceptor
public class BoundedFirstPageInterceptor {

	static final int MAX_COUNT = 100;

	@Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
	public void searchFirstPageSynchronously(SearchParameterMap search, RequestDetails request) {
		// the client's own _count: HAPI fills in the default page size for searches without one
		if (request != null
				&& request.getParameters().containsKey(Constants.PARAM_COUNT)
				&& search.getCount() != null
				&& search.getCount() > 0
				&& search.getCount() <= MAX_COUNT
				&& search.getOffset() == null
				&& search.getIncludes().isEmpty()
				&& search.getRevIncludes().isEmpty()
				&& search.getEverythingMode() == null
				&& search.getSearchTotalMode() != SearchTotalModeEnum.ACCURATE
				&& search.getSummaryMode() != SummaryEnum.COUNT) {
			search.setOffset(0);
		}
	}
}
