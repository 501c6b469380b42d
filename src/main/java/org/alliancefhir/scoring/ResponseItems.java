package org.alliancefhir.scoring;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;

/**
 * Finds the instances of an item in a response below a given response node, through nested items and the items
 * nested under answers.
 */
final class ResponseItems {

	private ResponseItems() {}

	/** The items with this linkId below {@code context} (a response or a response item), in document order. */
	static List<QuestionnaireResponseItemComponent> instances(Base context, String linkId) {
		List<QuestionnaireResponseItemComponent> found = new ArrayList<>();
		if (context instanceof QuestionnaireResponse response) {
			collect(response.getItem(), linkId, found);
		} else if (context instanceof QuestionnaireResponseItemComponent item) {
			collectBelow(item, linkId, found);
		}
		return found;
	}

	private static void collect(
			List<QuestionnaireResponseItemComponent> items,
			String linkId,
			List<QuestionnaireResponseItemComponent> found) {
		for (QuestionnaireResponseItemComponent item : items) {
			if (linkId.equals(item.getLinkId())) {
				found.add(item);
			} else {
				collectBelow(item, linkId, found);
			}
		}
	}

	private static void collectBelow(
			QuestionnaireResponseItemComponent item, String linkId, List<QuestionnaireResponseItemComponent> found) {
		collect(item.getItem(), linkId, found);
		for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
			collect(answer.getItem(), linkId, found);
		}
	}
}
