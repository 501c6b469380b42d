package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.mock.env.MockEnvironment;

/** The served types are the built-in ones plus the configured ones; the DAOs and providers of others are removed. */
class ServedResourceTypesTests {

	@Test
	void anEmptySettingServesTheBuiltInTypes() {
		MockEnvironment environment =
				new MockEnvironment().withProperty(ServedResourceTypes.ADDITIONAL_TYPES_PROPERTY, "");

		assertThat(ServedResourceTypes.from(environment).served()).isEqualTo(ServedResourceTypes.BUILT_IN);
	}

	@Test
	void configuredTypesAreServedBesideTheBuiltInOnes() {
		MockEnvironment environment =
				new MockEnvironment().withProperty(ServedResourceTypes.ADDITIONAL_TYPES_PROPERTY, "Condition, Consent");

		assertThat(ServedResourceTypes.from(environment).served())
				.containsAll(ServedResourceTypes.BUILT_IN)
				.contains("Condition", "Consent")
				.hasSize(ServedResourceTypes.BUILT_IN.size() + 2);
	}

	@Test
	void anUnknownTypeStopsTheStartNamingIt() {
		MockEnvironment environment = new MockEnvironment()
				.withProperty(ServedResourceTypes.ADDITIONAL_TYPES_PROPERTY, "Condition,Diagnosis");

		assertThatThrownBy(() -> ServedResourceTypes.from(environment))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("Diagnosis, which is not an R4 resource type");
	}

	@Test
	void theDaoAndProviderOfAnUnservedTypeAreRemovedAndThoseOfServedTypesKept() {
		DefaultListableBeanFactory registry = new DefaultListableBeanFactory();
		for (String name : new String[] {"myBasicDaoR4", "myBasicRpR4", "myPatientDaoR4", "myPatientRpR4", "other"}) {
			registry.registerBeanDefinition(name, new RootBeanDefinition(Object.class));
		}

		ServedResourceTypes.from(new MockEnvironment()).postProcessBeanDefinitionRegistry(registry);

		assertThat(registry.getBeanDefinitionNames())
				.containsExactlyInAnyOrder("myPatientDaoR4", "myPatientRpR4", "other");
	}
}
