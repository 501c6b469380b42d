// Turns a patient's Observations, family and terminology into chart-ready groups: per instrument the totals per
// respondent, the subscales or items, SOFTA-o dimensions per family member, markers from comparison Observations,
// and the latest split-alliance indices.
import { language, t } from './i18n.js';

export const ALLIANCE = 'https://alliancefhir.org/fhir/CodeSystem/alliance';
export const FEEDBACK = 'https://alliancefhir.org/fhir/CodeSystem/alliance-feedback';
const UP = new Set(['U', 'B', 'H']);
const DOWN = new Set(['D', 'W', 'L']);

/** Labels of every concept in the given CodeSystems: code -> {nl, en, root}. */
export function conceptLabels(codeSystems) {
  const labels = new Map();
  const walk = (concepts, root) => (concepts || []).forEach((c) => {
    const nl = c.designation?.find((d) => d.language === 'nl')?.value;
    labels.set(c.code, { en: c.display, nl: nl || c.display, root: root || c.code });
    walk(c.concept, root || c.code);
  });
  codeSystems.forEach((cs) => walk(cs.concept));
  return labels;
}

export function label(labels, code) {
  const entry = labels.get(code);
  return entry ? entry[language()] : code;
}

/** Names the author or rated member of a score: client, a parent by name, or the therapist. */
export function respondentNamer(patientId, relatedPersons) {
  const names = new Map(relatedPersons.map((rp) => [`RelatedPerson/${rp.id}`, personName(rp)]));
  return (reference) => {
    if (!reference) return t('respondent');
    if (reference === `Patient/${patientId}`) return t('client');
    if (reference.startsWith('RelatedPerson/')) return `${names.get(reference) || t('member')} (${t('parent')})`;
    if (reference.startsWith('Practitioner')) return t('therapist');
    return reference.split('/')[0];
  };
}

export function personName(resource) {
  const name = resource.name?.[0];
  if (!name) return '';
  return name.text || [...(name.given || []), name.family].filter(Boolean).join(' ');
}

function codeOf(resource) {
  return resource.code?.coding?.[0]?.code;
}

function interpretationOf(resource) {
  const concept = resource.interpretation?.[0];
  if (!concept) return {};
  const coding = concept.coding?.[0] || {};
  return { code: coding.code, text: language() === 'en' ? coding.display || concept.text : concept.text || coding.display };
}

const isScore = (o) => (o.derivedFrom || []).some((d) => d.reference?.startsWith('QuestionnaireResponse/'));
const isComparison = (o) => (o.component || []).some((c) => codeOf(c) === 'current-score');
const isSplit = (o) => (o.component || []).some((c) => codeOf(c)?.startsWith('split-'));

/** The instrument a score code belongs to: its root concept, client and therapist versions together. */
function familyOf(labels, code) {
  const root = labels.get(code)?.root || code.replace(/-[^-]+$/, '');
  return root.replace(/-(client|therapist)$/, '');
}

function familyTitle(labels, code) {
  const root = labels.get(labels.get(code)?.root);
  return root ? root[language()].split(',')[0] : code;
}

/**
 * Builds the dashboard's chart groups. Returns [{key, title, charts: [{kind, title, series, band}]}] and the latest
 * split indices [{code, title, date, method, components: [{code, value}]}].
 */
export function buildGroups(observations, labels, nameOf) {
  const live = observations.filter((o) => o.status !== 'entered-in-error' && o.status !== 'cancelled');
  const markers = comparisonMarkers(live.filter(isComparison));
  const families = new Map();
  for (const o of live.filter(isScore)) {
    const code = codeOf(o);
    const key = familyOf(labels, code);
    if (!families.has(key)) families.set(key, { key, title: familyTitle(labels, code), scores: [] });
    families.get(key).scores.push(o);
  }
  const groups = [...families.values()].map((f) => ({ key: f.key, title: f.title, charts: charts(f, labels, nameOf, markers) }));
  return { groups, splits: latestSplits(live.filter(isSplit), labels) };
}

function charts(family, labels, nameOf, markers) {
  const result = [];
  const totals = family.scores.filter((o) => o.valueQuantity);
  if (totals.length) {
    const codes = new Set(totals.map(codeOf));
    const title = codes.size === 1 ? label(labels, [...codes][0]) : `${family.title}: ${t('score').toLowerCase()}`;
    result.push({ kind: 'totals', title,
      series: seriesBy(totals, (o) => `${codeOf(o)}|${o.performer?.[0]?.reference}`,
        (o) => seriesLabel(labels, o, nameOf, totals), (o) => point(o, o.valueQuantity.value, markers)),
      band: band(totals) });
  }
  const members = family.scores.filter((o) => !o.valueQuantity && o.focus?.length && o.component?.length);
  for (const code of componentCodes(members)) {
    result.push({ kind: 'dimension', title: label(labels, code),
      series: seriesBy(members.filter((o) => component(o, code)), (o) => o.focus[0].reference,
        (o) => nameOf(o.focus[0].reference), (o) => point(o, component(o, code).valueQuantity.value)), band: null });
  }
  const withParts = totals.filter((o) => o.component?.length);
  if (withParts.length) {
    const parts = componentCodes(withParts).flatMap((code) => withParts.filter((o) => component(o, code))
      .map((o) => ({ o, code })));
    const multiple = new Set(withParts.map((o) => o.performer?.[0]?.reference)).size > 1;
    result.push({ kind: 'components', title: `${family.title}: ${t('components').toLowerCase()}`,
      series: seriesBy(parts, ({ o, code }) => `${code}|${o.performer?.[0]?.reference}`,
        ({ o, code }) => label(labels, code) + (multiple ? ` – ${nameOf(o.performer?.[0]?.reference)}` : ''),
        ({ o, code }) => point(o, component(o, code).valueQuantity.value)), band: null });
  }
  return result;
}

function seriesLabel(labels, o, nameOf, all) {
  const who = nameOf(o.performer?.[0]?.reference);
  const sameRespondent = all.filter((x) => x.performer?.[0]?.reference === o.performer?.[0]?.reference);
  return new Set(sameRespondent.map(codeOf)).size > 1 ? `${who}: ${label(labels, codeOf(o))}` : who;
}

function seriesBy(items, keyOf, labelOf, pointOf) {
  const series = new Map();
  for (const item of items) {
    const key = keyOf(item);
    if (!series.has(key)) series.set(key, { key, label: labelOf(item), points: [] });
    series.get(key).points.push(pointOf(item));
  }
  return [...series.values()].map((s) => ({ ...s, points: s.points.sort((a, b) => Date.parse(a.date) - Date.parse(b.date)) }));
}

function point(o, value, markers = new Map()) {
  const interpretation = interpretationOf(o);
  return { id: o.id, date: o.effectiveDateTime, value, interpretation: interpretation.code,
    interpretationText: interpretation.text, marker: markers.get(`Observation/${o.id}`) || null };
}

function component(o, code) {
  return (o.component || []).find((c) => codeOf(c) === code && c.valueQuantity);
}

function componentCodes(observations) {
  return [...new Set(observations.flatMap((o) => (o.component || []).filter((c) => c.valueQuantity).map(codeOf)))];
}

/** The cut-off band of the latest score that has a reference range (age-dependent ranges change with age). */
function band(scores) {
  const ranged = scores.filter((o) => o.referenceRange?.length)
    .sort((a, b) => Date.parse(a.effectiveDateTime) - Date.parse(b.effectiveDateTime));
  const range = ranged.at(-1)?.referenceRange[0];
  return range ? { low: range.low?.value ?? null, high: range.high?.value ?? null } : null;
}

/** Change per score from comparison Observations; a marker where the rule gave an interpretation. */
function comparisonMarkers(comparisons) {
  const markers = new Map();
  for (const c of comparisons) {
    const current = c.derivedFrom?.[0]?.reference;
    const interpretation = interpretationOf(c);
    const direction = UP.has(interpretation.code) ? 'up' : DOWN.has(interpretation.code) ? 'down' : null;
    const previous = markers.get(current);
    if (previous?.direction && !direction) continue;
    markers.set(current, { change: c.valueQuantity?.value, text: interpretation.text || '', direction,
      kind: c.code?.text || codeOf(c) });
  }
  return markers;
}

function latestSplits(splits, labels) {
  const latest = new Map();
  splits.sort((a, b) => Date.parse(a.effectiveDateTime) - Date.parse(b.effectiveDateTime))
    .forEach((s) => latest.set(codeOf(s), s));
  return [...latest.values()].map((s) => ({
    code: codeOf(s), title: (language() === 'nl' && s.code?.text) || label(labels, codeOf(s)), date: s.effectiveDateTime,
    method: s.method?.text || '',
    components: (s.component || []).map((c) => ({ code: codeOf(c), value: c.valueQuantity?.value ?? c.valueInteger })),
  }));
}
