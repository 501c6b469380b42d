package org.alliancefhir.server;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.ContextAnnotationAutowireCandidateResolver;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport;
import org.springframework.util.ClassUtils;

/**
 * Creates HAPI's Spring Data repositories on first use instead of at start-up, as Spring Data's lazy bootstrap mode
 * would (HAPI's {@code @EnableJpaRepositories} does not set it): creating one parses and checks each of its queries,
 * about a fifth of the start-up's main thread for some 50 repositories, many of them never used. Their bean
 * definitions become lazy and every injection point of a repository gets a proxy that creates it on first call.
 */
final class LazyRepositories implements BeanFactoryPostProcessor {

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			if (isRepositoryFactory(definition.getBeanClassName(), beanFactory.getBeanClassLoader())) {
				definition.setLazyInit(true);
			}
		}
		if (beanFactory instanceof DefaultListableBeanFactory factory) {
			factory.setAutowireCandidateResolver(new LazyRepositoryResolver());
		}
	}

	private static boolean isRepositoryFactory(String className, ClassLoader classLoader) {
		if (className == null || !ClassUtils.isPresent(className, classLoader)) {
			return false;
		}
		return RepositoryFactoryBeanSupport.class.isAssignableFrom(ClassUtils.resolveClassName(className, classLoader));
	}

	/** Spring's resolver, plus a lazy proxy for every injected Spring Data repository. */
	private static final class LazyRepositoryResolver extends ContextAnnotationAutowireCandidateResolver {

		@Override
		protected boolean isLazy(DependencyDescriptor descriptor) {
			Class<?> type = descriptor.getDependencyType();
			return super.isLazy(descriptor) || (type.isInterface() && Repository.class.isAssignableFrom(type));
		}
	}
}
