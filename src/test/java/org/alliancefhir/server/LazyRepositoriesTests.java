package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.data.jpa.repository.support.JpaRepositoryFactoryBean;
import org.springframework.data.repository.CrudRepository;

/** Repository beans become lazy and their injection points get proxies; other beans are left as they are. */
class LazyRepositoriesTests {

	/** A bean that needs a repository and something else. */
	static class Holder {
		CrudRepository<Object, Long> repository;
		String other;
	}

	@Test
	void repositoryFactoryBeansBecomeLazyAndOtherBeansStayEager() {
		DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
		factory.registerBeanDefinition("myThingDao", new RootBeanDefinition(JpaRepositoryFactoryBean.class));
		factory.registerBeanDefinition("service", new RootBeanDefinition(Holder.class));

		new LazyRepositories().postProcessBeanFactory(factory);

		assertThat(factory.getBeanDefinition("myThingDao").isLazyInit()).isTrue();
		assertThat(factory.getBeanDefinition("service").isLazyInit()).isFalse();
	}

	@Test
	void aRepositoryInjectionPointGetsALazyProxyAndOthersDoNot() throws Exception {
		DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
		new LazyRepositories().postProcessBeanFactory(factory);

		DependencyDescriptor repository = new DependencyDescriptor(Holder.class.getDeclaredField("repository"), true);
		DependencyDescriptor other = new DependencyDescriptor(Holder.class.getDeclaredField("other"), true);

		assertThat(factory.getAutowireCandidateResolver().getLazyResolutionProxyIfNecessary(repository, "service"))
				.isInstanceOf(CrudRepository.class);
		assertThat(factory.getAutowireCandidateResolver().getLazyResolutionProxyIfNecessary(other, "service"))
				.isNull();
	}
}
