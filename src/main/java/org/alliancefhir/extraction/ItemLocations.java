package org.alliancefhir.extraction;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;

/**
 * Names the item a validator message is about: HAPI's messages say what is wrong (11.5 is above 10) and where as a
 * path ({@code QuestionnaireResponse.item[1].answer[0].value}), but a clinician needs the item's linkId.
 */
final class ItemLocations {

	/** One step of a location below the response, e.g. {@code .item[1]} or {@code .answer[0]}. */
	private static final Pattern ITEM_STEP = Pattern.compile("\\G\\.(item|answer)\\[(\\d+)]");

	private static final String ROOT = "QuestionnaireResponse";

	private ItemLocations() {}

	/** The message, prefixed with {@code Item '<linkId>': } unless it already names the item. */
	static String namingTheItem(QuestionnaireResponse response, SingleValidationMessage message) {
		String text = message.getMessage();
		return linkIdAt(response, message.getLocationString())
				.filter(linkId -> !text.contains("'" + linkId + "'"))
				.map(linkId -> "Item '" + linkId + "': " + text)
				.orElse(text);
	}

	/** The innermost item a location points into. */
	static Optional<String> linkIdAt(QuestionnaireResponse response, String location) {
		if (location == null || !location.startsWith(ROOT)) {
			return Optional.empty();
		}
		Matcher step = ITEM_STEP.matcher(location).region(ROOT.length(), location.length());
		List<QuestionnaireResponseItemComponent> items = response.getItem();
		QuestionnaireResponseItemComponent item = null;
		while (step.find()) {
			int index = Integer.parseInt(step.group(2));
			if ("item".equals(step.group(1)) && index < items.size()) {
				item = items.get(index);
				items = item.getItem();
			} else if ("answer".equals(step.group(1))
					&& item != null
					&& index < item.getAnswer().size()) {
				items = item.getAnswer().get(index).getItem();
			} else {
				return Optional.empty();
			}
		}
		return Optional.ofNullable(item).map(QuestionnaireResponseItemComponent::getLinkId);
	}
}
