package org.alliancefhir.app;

import java.util.Map;
import org.alliancefhir.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the clinician app (static files in {@code static/app/}) at {@code /app/} and its session form at
 * {@code /app/form/}, with the app's security headers and the launch settings the app reads at start.
 */
@Configuration
@RestController
class AppConfig implements WebMvcConfigurer {

	static final String PATH = "/app";
	static final String FORM_PATH = PATH + "/form";

	private final AppProperties properties;
	private final SecurityProperties security;

	AppConfig(AppProperties properties, SecurityProperties security) {
		this.properties = properties;
		this.security = security;
	}

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addRedirectViewController(PATH, PATH + "/");
		registry.addViewController(PATH + "/").setViewName("forward:" + PATH + "/index.html");
		registry.addRedirectViewController(FORM_PATH, FORM_PATH + "/");
		registry.addViewController(FORM_PATH + "/").setViewName("forward:" + FORM_PATH + "/index.html");
	}

	@Bean
	FilterRegistrationBean<AppHeadersFilter> appHeadersFilter() {
		FilterRegistrationBean<AppHeadersFilter> registration =
				new FilterRegistrationBean<>(new AppHeadersFilter(properties, security.tokenEndpoint()));
		registration.addUrlPatterns(PATH, PATH + "/*");
		registration.setName("app-headers");
		return registration;
	}

	/**
	 * Whether the app must launch with SMART (an issuer is configured) and the OAuth client id it sends; the rest
	 * comes from the server's SMART configuration.
	 */
	@GetMapping(PATH + "/launch-settings.json")
	Map<String, Object> launchSettings() {
		return Map.of("smart", security.enabled(), "clientId", properties.clientId());
	}
}
