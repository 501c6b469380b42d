package org.alliancefhir.feedback;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.alliancefhir.content.ProjectUrls;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * {@code Patient/[id]/$alliance-summary}: what an EHR shows when a chart opens — per instrument and respondent the
 * latest score, the previous one, the change and the series, the open alerts and the latest split-alliance indices.
 * Reads with the caller's request, so the caller's access rules apply.
 */
public class PatientAllianceSummaryProvider {

	static final String OPERATION = "$alliance-summary";
	static final String CANONICAL = ProjectUrls.BASE + "/OperationDefinition/alliance-summary";

	private final DaoRegistry daoRegistry;

	public PatientAllianceSummaryProvider(DaoRegistry daoRegistry) {
		this.daoRegistry = daoRegistry;
	}

	@Description(shortDefinition = "Alliance scores, changes, open alerts and split-alliance indices of one patient")
	@Operation(name = OPERATION, type = Patient.class, idempotent = true, canonicalUrl = CANONICAL)
	public Parameters summary(
			@IdParam IdType patientId,
			@Description(shortDefinition = "Only scores on or after this date (FHIR date or dateTime)")
					@OperationParam(name = "start", max = 1)
					StringType start,
			@Description(shortDefinition = "Only scores on or before this date (FHIR date or dateTime)")
					@OperationParam(name = "end", max = 1)
					StringType end,
			@Description(shortDefinition = "Only this instrument, by its code (the Questionnaire id), e.g. srs")
					@OperationParam(name = "instrument", max = 1)
					StringType instrument,
			RequestDetails request) {
		String patient = "Patient/"
				+ daoRegistry
						.getResourceDao(Patient.class)
						.read(patientId.toUnqualifiedVersionless(), request)
						.getIdElement()
						.getIdPart();
		DateRangeParam period = period(start, end);
		String prefix = instrument == null || !instrument.hasValue() ? "" : instrument.getValue() + "-";
		List<Observation> observations = search(
				Observation.class,
				SearchParameterMap.newSynchronous()
						.add(Observation.SP_SUBJECT, new ReferenceParam(patient))
						.add(Observation.SP_DATE, period),
				request);
		List<Observation> scores = observations.stream()
				.filter(ScoreValues::isCurrent)
				.filter(o -> o.getCode().getCoding().stream()
						.anyMatch(c -> ProjectUrls.SCORE_CODE_SYSTEM.equals(c.getSystem())
								&& c.getCode().startsWith(prefix)))
				.filter(Observation::hasValueQuantity)
				.toList();
		List<Observation> splits = observations.stream()
				.filter(ScoreValues::isCurrent)
				.filter(o -> o.getCode().getCoding().stream()
						.anyMatch(c -> FeedbackIdentifiers.CODE_SYSTEM.equals(c.getSystem())
								&& c.getCode().startsWith(prefix)))
				.filter(o -> o.hasMethod())
				.toList();
		Set<String> scoreIds = scores.stream()
				.map(o -> "Observation/" + o.getIdElement().getIdPart())
				.collect(Collectors.toSet());
		TokenOrListParam open = new TokenOrListParam();
		OpenTasks.STATUSES.forEach(s -> open.addOr(new TokenParam(s.toCode())));
		List<Task> tasks = search(
						Task.class,
						SearchParameterMap.newSynchronous()
								.add(Task.SP_PATIENT, new ReferenceParam(patient))
								.add(Task.SP_STATUS, open),
						request)
				.stream()
				.filter(t -> scoreIds.contains(t.getFocus().getReference()))
				.toList();
		List<Flag> flags = search(
						Flag.class,
						SearchParameterMap.newSynchronous().add(Flag.SP_PATIENT, new ReferenceParam(patient)),
						request)
				.stream()
				.filter(f -> f.getStatus() == Flag.FlagStatus.ACTIVE)
				.filter(f -> f.getExtensionsByUrl(Alerts.FLAG_DETAIL).stream()
						.anyMatch(e -> scoreIds.contains(((Reference) e.getValue()).getReference())))
				.toList();
		return AllianceSummary.of(patient, scores, tasks, flags, splits);
	}

	/**
	 * Every match, page by page: a search made with the caller's request (which applies the caller's access rules and
	 * audit to what the summary reads) gets the server's page size from HAPI, so one search would stop there.
	 */
	private <T extends IBaseResource> List<T> search(Class<T> type, SearchParameterMap search, RequestDetails request) {
		search.setSort(new SortSpec("_id"));
		List<T> all = new ArrayList<>();
		List<IBaseResource> page;
		do {
			search.setOffset(all.size());
			page = daoRegistry.getResourceDao(type).search(search, request).getResources(0, Integer.MAX_VALUE);
			page.forEach(resource -> all.add(type.cast(resource)));
		} while (search.getCount() != null && page.size() >= search.getCount());
		return all;
	}

	private static DateRangeParam period(StringType start, StringType end) {
		DateTimeType from = date("start", start);
		DateTimeType to = date("end", end);
		if (from != null && to != null && from.getValue().after(to.getValue())) {
			throw new InvalidRequestException("start (" + start.getValue() + ") is after end (" + end.getValue() + ")");
		}
		DateRangeParam period = new DateRangeParam();
		if (from != null) {
			period.setLowerBound(new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, from.getValueAsString()));
		}
		if (to != null) {
			period.setUpperBound(new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, to.getValueAsString()));
		}
		return period;
	}

	private static DateTimeType date(String name, StringType value) {
		if (value == null || !value.hasValue()) {
			return null;
		}
		try {
			return new DateTimeType(value.getValue());
		} catch (DataFormatException | IllegalArgumentException e) {
			throw new InvalidRequestException(
					name + " must be a FHIR date or dateTime such as 2026-11-28, not '" + value.getValue() + "'");
		}
	}
}
