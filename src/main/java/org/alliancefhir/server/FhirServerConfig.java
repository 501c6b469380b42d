package org.alliancefhir.server;

import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.CorsInterceptor;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.alliancefhir.extraction.ExtractionComponents;
import org.alliancefhir.feedback.PatientAllianceSummaryProvider;
import org.alliancefhir.security.SecurityComponents;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Builds the FHIR REST endpoint at {@code /fhir}: every provider and REST-layer interceptor is registered here,
 * explicitly, so this class is the one place that says what the API offers.
 */
@Configuration
class FhirServerConfig {

	static final String BASE_PATH = "/fhir";
	static final String SERVER_NAME = "Alliance FHIR Server";
	static final String SERVER_DESCRIPTION = "FHIR R4 server that publishes therapeutic-alliance instruments "
			+ "(WAV-12, SRS/ORS, SOFTA) as Questionnaires and scores every QuestionnaireResponse into Observations";

	@Bean
	RestfulServer fhirServer(
			IFhirSystemDao<Bundle, Meta> systemDao,
			ResourceProviderFactory resourceProviders,
			JpaSystemProvider<Bundle, Meta> systemProvider,
			DatabaseBackedPagingProvider pagingProvider,
			JpaStorageSettings storageSettings,
			ISearchParamRegistry searchParamRegistry,
			IValidationSupport validationSupport,
			BuildProperties build,
			AllianceProperties properties,
			ExtractionComponents extraction,
			PatientAllianceSummaryProvider allianceSummary,
			BulkDataExportProvider bulkExport,
			DaoRegistry daoRegistry,
			SecurityComponents security) {
		// The server never builds a Reference to an id-less resource object and relies on the encoder to contain it:
		// without the option, HAPI walks every reference of every resource it encodes (a seventh of a trend query's
		// CPU, bench/README.md §21); resources in Resource.contained are encoded as before
		systemDao.getContext().getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
		RestfulServer server = new RestfulServer(systemDao.getContext());
		server.setServerName(SERVER_NAME);
		server.setServerVersion(build.getVersion());
		server.setImplementationDescription(SERVER_DESCRIPTION);
		server.setDefaultResponseEncoding(EncodingEnum.JSON);
		server.registerProviders(resourceProviders.createProviders());
		server.registerProvider(systemProvider);
		server.registerProvider(extraction.extractProvider());
		server.registerProvider(allianceSummary);
		// Bulk Data $export (system, Patient, Group) and $export-poll-status, HAPI's provider (bean of JpaConfig)
		server.registerProvider(bulkExport);

		pagingProvider.setDefaultPageSize(properties.paging().defaultPageSize());
		pagingProvider.setMaximumPageSize(properties.paging().maximumPageSize());
		server.setPagingProvider(pagingProvider);

		if (!properties.serverAddress().isBlank()) {
			server.setServerAddressStrategy(new HardcodedServerAddressStrategy(properties.serverAddress()));
		}

		JpaCapabilityStatementProvider capabilities = new CapabilityStatementProvider(
				server, systemDao, storageSettings, searchParamRegistry, validationSupport, daoRegistry);
		capabilities.setImplementationDescription(SERVER_DESCRIPTION);
		server.setServerConformanceProvider(capabilities);
		server.registerInterceptor(new OperationDefinitionCanonicals());

		List<String> origins = properties.cors().allowedOrigins();
		if (!origins.isEmpty()) {
			server.registerInterceptor(corsInterceptor(origins));
		}
		security.restInterceptors().forEach(server::registerInterceptor);
		server.registerInterceptor(new RequestParameterGuardInterceptor(systemDao.getContext()));
		server.registerInterceptor(new Utf8BodyInterceptor());
		server.registerInterceptor(new ScoringRuleFailureInterceptor());
		server.registerInterceptor(new NumberSyntaxInterceptor());
		server.registerInterceptor(extraction.narrativeInterceptor());
		server.registerInterceptor(new BoundedFirstPageInterceptor());
		server.registerInterceptor(new ResponseHighlighterInterceptor());
		server.registerInterceptor(new OpenApiInterceptor());
		return server;
	}

	/** Registered on the JPA interceptor service, so it also sees transaction entries and internal writes. */
	@Bean
	InvalidCharacterInterceptor invalidCharacterInterceptor(
			FhirContext fhirContext, IInterceptorService jpaInterceptors) {
		InvalidCharacterInterceptor interceptor = new InvalidCharacterInterceptor(fhirContext);
		jpaInterceptors.registerInterceptor(interceptor);
		return interceptor;
	}

	/** Registered on the JPA interceptor service, where the Bulk Data export job asks about each resource. */
	@Bean
	BulkExportSinceFilter bulkExportSinceFilter(IInterceptorService jpaInterceptors) {
		BulkExportSinceFilter filter = new BulkExportSinceFilter();
		jpaInterceptors.registerInterceptor(filter);
		return filter;
	}

	@Bean
	RefusalLogFilter refusalLogFilter() {
		return RefusalLogFilter.install();
	}

	/** Registered on the JPA interceptor service, so it also sees transaction entries. */
	@Bean
	UnsafeNarrativeInterceptor unsafeNarrativeInterceptor(
			FhirContext fhirContext, IInterceptorService jpaInterceptors) {
		UnsafeNarrativeInterceptor interceptor = new UnsafeNarrativeInterceptor(NarrativeRules.create(fhirContext));
		jpaInterceptors.registerInterceptor(interceptor);
		return interceptor;
	}

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit(
			AllianceProperties properties, FhirContext fhirContext) {
		RequestBodyLimitFilter filter =
				new RequestBodyLimitFilter(properties.request().maxBodyBytes().toBytes(), fhirContext);
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns(BASE_PATH + "/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirServer) {
		ServletRegistrationBean<RestfulServer> registration =
				new ServletRegistrationBean<>(fhirServer, BASE_PATH + "/*");
		registration.setName("fhir");
		registration.setLoadOnStartup(1);
		return registration;
	}

	private static CorsInterceptor corsInterceptor(List<String> origins) {
		CorsConfiguration cors = new CorsConfiguration();
		origins.forEach(cors::addAllowedOriginPattern);
		List.of(
						HttpHeaders.ORIGIN,
						HttpHeaders.ACCEPT,
						HttpHeaders.CONTENT_TYPE,
						HttpHeaders.AUTHORIZATION,
						HttpHeaders.CACHE_CONTROL,
						HttpHeaders.IF_MATCH,
						HttpHeaders.IF_NONE_MATCH,
						"Prefer",
						"X-Requested-With")
				.forEach(cors::addAllowedHeader);
		List.of(
						HttpHeaders.LOCATION,
						HttpHeaders.CONTENT_LOCATION,
						HttpHeaders.ETAG,
						HttpHeaders.LAST_MODIFIED,
						HttpHeaders.WWW_AUTHENTICATE)
				.forEach(cors::addExposedHeader);
		cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"));
		return new CorsInterceptor(cors);
	}
}
