package org.alliancefhir.content;

import java.util.ArrayList;
import java.util.List;
import org.alliancefhir.scoring.FhirPathLimitException;
import org.alliancefhir.scoring.FhirPathLimits;
import org.alliancefhir.scoring.ScoringEngine;
import org.alliancefhir.scoring.ScoringRuleException;
import org.alliancefhir.scoring.SdcExtensions;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;

/**
 * Checks every FHIRPath expression a Questionnaire carries, on the root and on each item: any extension whose value is
 * an {@code Expression}, nested ones included, so every SDC expression (variable, calculatedExpression,
 * enableWhenExpression, initialExpression, answerExpression, candidateExpression, contextExpression, …) is parsed and
 * kept within {@link FhirPathLimits}; then the score rules are compiled as the scoring engine will run them. Each
 * problem names the item by linkId.
 *
 * @see <a href="https://hl7.org/fhir/uv/sdc/STU4/expressions.html">SDC expressions</a>
 */
public class QuestionnaireExpressions {

	private final FHIRPathEngine fhirPath;
	private final ScoringEngine scoringEngine;

	public QuestionnaireExpressions(FHIRPathEngine fhirPath, ScoringEngine scoringEngine) {
		this.fhirPath = fhirPath;
		this.scoringEngine = scoringEngine;
	}

	/** Every problem, each naming the item it is on ({@code item 'q1'}, or {@code root}). */
	public List<String> problems(Questionnaire questionnaire) {
		List<String> problems = new ArrayList<>();
		checkExtensions("root", questionnaire.getExtension(), problems);
		checkItems(questionnaire.getItem(), problems);
		if (problems.isEmpty()) {
			try {
				scoringEngine.compile(questionnaire);
			} catch (ScoringRuleException broken) {
				problems.add(broken.getMessage());
			}
		}
		return problems;
	}

	private void checkItems(List<QuestionnaireItemComponent> items, List<String> problems) {
		for (QuestionnaireItemComponent item : items) {
			String where = where(item.getLinkId());
			checkExtensions(where, item.getExtension(), problems);
			for (Element element :
					List.of(item.getTextElement(), item.getPrefixElement(), item.getDefinitionElement())) {
				checkExtensions(where, element.getExtension(), problems);
			}
			item.getEnableWhen().forEach(condition -> checkExtensions(where, condition.getExtension(), problems));
			item.getAnswerOption().forEach(option -> checkExtensions(where, option.getExtension(), problems));
			item.getInitial().forEach(initial -> checkExtensions(where, initial.getExtension(), problems));
			checkItems(item.getItem(), problems);
		}
	}

	private void checkExtensions(String where, List<Extension> extensions, List<String> problems) {
		for (Extension extension : extensions) {
			if (extension.getValue() instanceof Expression expression) {
				checkExpression(where, extension.getUrl(), expression, problems);
			}
			checkExtensions(where, extension.getExtension(), problems);
		}
	}

	private void checkExpression(String where, String url, Expression expression, List<String> problems) {
		if (!expression.hasExpression() || !SdcExtensions.FHIRPATH_LANGUAGE.equals(expression.getLanguage())) {
			return; // CQL and FHIR queries are not evaluated by this server; FHIRPath in them is the client's
		}
		try {
			FhirPathLimits.parse(fhirPath, expression.getExpression());
		} catch (FhirPathLimitException broken) {
			String kind = url == null ? "an expression" : url.substring(url.lastIndexOf('/') + 1);
			problems.add("Questionnaire " + where + ": the FHIRPath of " + kind + " " + broken.getMessage());
		}
	}

	private static String where(String linkId) {
		return linkId == null ? "root" : "item '" + linkId + "'";
	}
}
