package org.alliancefhir.scoring;

import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * A text that changes whenever anything a {@link ScoringPlan} depends on changes: item structure, types, repeats,
 * variables, score expressions and answer weights. Texts, translations and other content do not count.
 *
 * <p>
 * It is the content itself rather than a hash of it, so two different rule sets can never share a plan.
 */
final class Fingerprint {

	private final StringBuilder text = new StringBuilder(1024);

	private Fingerprint() {}

	static String of(Questionnaire questionnaire) {
		Fingerprint fingerprint = new Fingerprint();
		fingerprint.extensions(questionnaire.getExtension());
		fingerprint.items(questionnaire.getItem());
		fingerprint.containedAnswers(questionnaire);
		return fingerprint.text.toString();
	}

	/** Contained answer ValueSets give weights too ({@link AnswerWeights}). */
	private void containedAnswers(Questionnaire questionnaire) {
		for (Resource contained : questionnaire.getContained()) {
			if (contained instanceof ValueSet valueSet) {
				this.text.append(" valueSet #").append(valueSet.getIdElement().getIdPart());
				ValueSetAnswers.options(valueSet).orElse(List.of()).forEach(option -> {
					value(option.getValue());
					extensions(option.getExtension());
				});
			}
		}
	}

	private void items(List<QuestionnaireItemComponent> items) {
		this.text.append('[');
		for (QuestionnaireItemComponent item : items) {
			this.text
					.append(item.getLinkId())
					.append(' ')
					.append(item.getType())
					.append(' ')
					.append(item.getRepeats());
			extensions(item.getExtension());
			if (item.hasAnswerValueSet()) {
				this.text.append(" answerValueSet ").append(item.getAnswerValueSet());
			}
			for (QuestionnaireItemAnswerOptionComponent option : item.getAnswerOption()) {
				this.text.append(" option ");
				value(option.getValue());
				extensions(option.getExtension());
			}
			items(item.getItem());
		}
		this.text.append(']');
	}

	private void extensions(List<Extension> extensions) {
		for (Extension extension : extensions) {
			String url = extension.getUrl();
			if (SdcExtensions.VARIABLE.equals(url)
					|| SdcExtensions.CALCULATED_EXPRESSION.equals(url)
					|| SdcExtensions.ITEM_WEIGHT.equals(url)
					|| SdcExtensions.ORDINAL_VALUE.equals(url)) {
				this.text.append(' ').append(url).append('=');
				value(extension.getValue());
			}
		}
	}

	private void value(Base value) {
		if (value == null) {
			this.text.append("null");
			return;
		}
		this.text.append(value.fhirType()).append('(');
		if (value.isPrimitive()) {
			this.text.append(value.primitiveValue());
		} else if (value instanceof Coding coding) {
			this.text.append(coding.getSystem()).append('|').append(coding.getCode());
			extensions(coding.getExtension());
		} else if (value instanceof Expression expression) {
			this.text
					.append(expression.getName())
					.append('|')
					.append(expression.getLanguage())
					.append('|');
			this.text.append(expression.getExpression());
		} else {
			for (Property property : value.children()) {
				for (Base child : property.getValues()) {
					this.text.append(property.getName()).append(':');
					value(child);
				}
			}
		}
		this.text.append(')');
	}
}
