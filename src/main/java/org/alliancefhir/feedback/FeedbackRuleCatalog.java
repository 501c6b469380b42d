package org.alliancefhir.feedback;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alliancefhir.content.ContentInstalledListener;
import org.alliancefhir.content.InvalidContentException;
import org.alliancefhir.content.LoadedContent;
import org.alliancefhir.content.StoredContentChangeInterceptor;
import org.alliancefhir.storage.DerivedResourceStore;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PlanDefinition;

/**
 * The enabled feedback rules of the stored, active {@code eca-rule} PlanDefinitions (a rule coded {@code disabled}
 * is read, so it must be valid, but not evaluated), indexed by the score codes that trigger them; read once and kept
 * until a PlanDefinition is written, on this node or another ({@link #forget()}), so a site changes a threshold or
 * turns a rule on by updating the content.
 */
public class FeedbackRuleCatalog implements ContentInstalledListener {

	private static final String RESOURCE_TYPE = "PlanDefinition";

	private final DerivedResourceStore store;
	private final FeedbackRuleReader reader;
	private final RespondentPerspectives perspectives;
	private final LoadedContent<String, Map<String, List<FeedbackRule>>> byTrigger = new LoadedContent<>();

	public FeedbackRuleCatalog(DerivedResourceStore store, RuleExpressions expressions) {
		this.store = store;
		this.reader = new FeedbackRuleReader(expressions.engine());
		this.perspectives = new RespondentPerspectives(store);
	}

	/** The respondent perspectives of the score codes, which split rules use to tell family from hulpverlener. */
	public RespondentPerspectives perspectives() {
		return perspectives;
	}

	/** The rules a score code triggers. */
	public List<FeedbackRule> triggeredBy(Coding code) {
		return index().getOrDefault(key(code), List.of());
	}

	/** Reads every rule once the content is installed, so a rule that cannot be read stops the start-up. */
	@Override
	public void contentInstalled() {
		try {
			byTrigger.forget();
			perspectives.forget();
			index();
		} catch (IllegalArgumentException e) {
			throw new InvalidContentException(e.getMessage());
		}
	}

	/** An interceptor to register on the JPA interceptor service, so writes of PlanDefinitions reload the rules. */
	public StoredContentChangeInterceptor changeInterceptor() {
		return new StoredContentChangeInterceptor(RESOURCE_TYPE, this::forget);
	}

	/** Drops the rules read, after a PlanDefinition changed. */
	public void forget() {
		byTrigger.forget();
	}

	private Map<String, List<FeedbackRule>> index() {
		return byTrigger.get(RESOURCE_TYPE, type -> Optional.of(load())).orElseThrow();
	}

	private Map<String, List<FeedbackRule>> load() {
		Map<String, List<FeedbackRule>> index = new HashMap<>();
		SearchParameterMap search = SearchParameterMap.newSynchronous().add("status", new TokenParam("active"));
		for (PlanDefinition plan : store.search(PlanDefinition.class, search)) {
			if (FeedbackRuleReader.holdsRules(plan)) {
				for (FeedbackRule rule : reader.read(plan)) {
					if (!rule.enabled()) {
						continue;
					}
					rule.triggerCodes().forEach(c -> index.computeIfAbsent(key(c), k -> new ArrayList<>())
							.add(rule));
				}
			}
		}
		return index;
	}

	private static String key(Coding code) {
		return code.getSystem() + "|" + code.getCode();
	}
}
