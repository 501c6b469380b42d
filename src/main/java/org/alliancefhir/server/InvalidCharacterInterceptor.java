package org.alliancefhir.server;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.IModelVisitor2;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Refuses, with 400, any resource about to be stored that has a string FHIR does not allow ({@link FhirStrings}):
 * before this check a lone surrogate was silently stored as {@code ?} (H2) or failed with 500 (PostgreSQL), and a
 * NUL in an indexed string failed with 409. Hooks the pre-storage pointcuts, so transaction entries are covered too.
 */
@Interceptor
public class InvalidCharacterInterceptor {

	private final FhirContext fhirContext;

	InvalidCharacterInterceptor(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
	public void rejectCreatedResourceWithInvalidCharacters(IBaseResource resource) {
		rejectInvalidCharacters(resource);
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
	public void rejectUpdatedResourceWithInvalidCharacters(IBaseResource oldResource, IBaseResource newResource) {
		rejectInvalidCharacters(newResource);
	}

	private void rejectInvalidCharacters(IBaseResource resource) {
		OperationOutcome outcome = new OperationOutcome();
		fhirContext.newTerser().visit(resource, new IModelVisitor2() {
			@Override
			public boolean acceptElement(
					IBase element,
					List<IBase> containingElementPath,
					List<BaseRuntimeChildDefinition> childDefinitionPath,
					List<BaseRuntimeElementDefinition<?>> elementDefinitionPath) {
				if (element instanceof IPrimitiveType<?> primitive && primitive.getValueAsString() != null) {
					String invalid = FhirStrings.firstInvalidCharacter(primitive.getValueAsString());
					if (invalid != null) {
						String path = resource.fhirType() + "."
								+ childDefinitionPath.stream()
										.map(BaseRuntimeChildDefinition::getElementName)
										.collect(Collectors.joining("."));
						outcome.addIssue()
								.setSeverity(IssueSeverity.ERROR)
								.setCode(IssueType.INVALID)
								.setDiagnostics(path + " contains the character " + invalid
										+ ", which FHIR strings must not contain")
								.addExpression(path);
					}
				}
				return true;
			}
		});
		if (outcome.hasIssue()) {
			throw new InvalidRequestException(outcome.getIssueFirstRep().getDiagnostics(), outcome);
		}
	}
}
