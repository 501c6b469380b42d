package org.alliancefhir.scoring;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Questionnaire;

/**
 * Keeps one {@link ScoringPlan} per Questionnaire {@code url|version}, compiled again when the rules behind that
 * canonical change (an edited Questionnaire that kept its version).
 *
 * <p>
 * The same Questionnaire object is recognised by identity without looking at its content; another object is
 * compared by its {@link Fingerprint}. Questionnaires are treated as immutable once handed to the engine.
 */
final class PlanCache {

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final Function<Questionnaire, ScoringPlan> compiler;

	PlanCache(Function<Questionnaire, ScoringPlan> compiler) {
		this.compiler = compiler;
	}

	ScoringPlan get(Questionnaire questionnaire) {
		String canonical = PlanCompiler.canonical(questionnaire);
		Entry entry = this.entries.get(canonical);
		if (entry != null && entry.source().get() == questionnaire) {
			return entry.plan();
		}
		String fingerprint = Fingerprint.of(questionnaire);
		ScoringPlan plan = (entry != null && entry.fingerprint().equals(fingerprint))
				? entry.plan()
				: this.compiler.apply(questionnaire);
		this.entries.put(canonical, new Entry(fingerprint, plan, new WeakReference<>(questionnaire)));
		return plan;
	}

	private record Entry(String fingerprint, ScoringPlan plan, WeakReference<Questionnaire> source) {}
}
