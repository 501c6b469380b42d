package org.alliancefhir.server;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * HAPI's JPA CapabilityStatement provider, which also answers every {@code GET OperationDefinition/<id>} with the
 * definition it generates for an operation; an id it did not generate is read from the stored OperationDefinitions
 * instead of 404, so this server's own definitions from {@code profiles/} resolve too.
 */
class CapabilityStatementProvider extends JpaCapabilityStatementProvider {

	private static final String OPERATION_DEFINITION = "OperationDefinition";

	private final DaoRegistry daoRegistry;

	CapabilityStatementProvider(
			RestfulServer server,
			IFhirSystemDao<?, ?> systemDao,
			JpaStorageSettings storageSettings,
			ISearchParamRegistry searchParamRegistry,
			IValidationSupport validationSupport,
			DaoRegistry daoRegistry) {
		super(server, systemDao, storageSettings, searchParamRegistry, validationSupport);
		this.daoRegistry = daoRegistry;
	}

	@Override
	public IBaseResource readOperationDefinition(IIdType id, RequestDetails request) {
		try {
			return super.readOperationDefinition(id, request);
		} catch (ResourceNotFoundException generatedByNoOperation) {
			return daoRegistry.getResourceDao(OPERATION_DEFINITION).read(id.toUnqualifiedVersionless(), request);
		}
	}
}
