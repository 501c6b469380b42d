package org.alliancefhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import org.alliancefhir.outbox.AuditOutbox;
import org.alliancefhir.security.DevelopmentModeGuard;
import org.alliancefhir.security.OperationOutcomeErrorReportValve;
import org.alliancefhir.security.SecurityComponents;
import org.alliancefhir.security.SecurityProperties;
import org.alliancefhir.security.SmartConfigurationServlet;
import org.alliancefhir.storage.ReferenceTargets;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires the security feature: the start-up check of development mode (before any other bean, so a refused
 * configuration fails in seconds), the storage interceptors on HAPI's JPA interceptor service, and the public
 * SMART configuration document. The REST-layer interceptors are registered by {@link FhirServerConfig}.
 */
@Configuration
class SecurityConfig {

	/** Runs before any bean is created; refuses to start an unauthenticated server on a network address. */
	@Bean
	static BeanFactoryPostProcessor developmentModeGuard(Environment environment) {
		return beanFactory -> DevelopmentModeGuard.check(
				Binder.get(environment).bindOrCreate("alliance.security", SecurityProperties.class),
				environment.getProperty("server.address"));
	}

	@Bean
	SecurityComponents securityComponents(
			SecurityProperties security,
			AllianceProperties properties,
			FhirContext fhirContext,
			DaoRegistry daoRegistry,
			PlatformTransactionManager transactionManager,
			AuditOutbox auditOutbox,
			IIdHelperService<JpaPid> idHelper,
			IInterceptorService jpaInterceptors) {
		SecurityComponents components = new SecurityComponents(
				security,
				properties.serverAddress(),
				!properties.cors().allowedOrigins().isEmpty(),
				fhirContext,
				daoRegistry,
				transactionManager,
				auditOutbox,
				new ReferenceTargets(idHelper, fhirContext));
		components.storageInterceptors().forEach(jpaInterceptors::registerInterceptor);
		return components;
	}

	/** Last, so it replaces the error report valve Spring Boot adds: Tomcat's own errors become OperationOutcomes. */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	static WebServerFactoryCustomizer<TomcatServletWebServerFactory> operationOutcomeErrorReports() {
		return factory -> factory.addContextCustomizers(OperationOutcomeErrorReportValve::install);
	}

	@Bean
	ServletRegistrationBean<SmartConfigurationServlet> smartConfigurationServlet(
			SecurityProperties security, SecurityComponents components) {
		ServletRegistrationBean<SmartConfigurationServlet> registration = new ServletRegistrationBean<>(
				components.smartConfiguration(), FhirServerConfig.BASE_PATH + SmartConfigurationServlet.PATH);
		registration.setName("smart-configuration");
		registration.setEnabled(security.enabled());
		return registration;
	}
}
