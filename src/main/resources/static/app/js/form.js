// The session form: the client or a parent fills in an instrument on a tablet; the response is posted, refusals are
// shown readably with every answer kept (also across a reload), and the scored result is shown to discuss.
import { formatDate, formatNumber, language, t, translated } from './i18n.js';
import { LaunchError } from './launch.js';
import { ALLIANCE, conceptLabels, label, personName } from './model.js';
import { errorMessage, openPage } from './page.js';
import { renderItems, responseItems, unanswered } from './questionnaire-form.js';

const PERFORMER_TYPE = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-performerType';
const SIGNAL_POLLS = 8;
const $ = (selector) => document.querySelector(selector);
let session;
let questionnaire;
let people = [];
let state;

async function start() {
  session = await openPage({
    onLanguageChange: () => questionnaire && !$('#questionnaire-form').hidden && renderForm(),
    showError,
  });
  if (!session) return;
  $('#dashboard-link').href = dashboardLink();
  try {
    const canonical = new URLSearchParams(location.search).get('questionnaire');
    const [patient, relatedPersons] = await Promise.all([
      session.client.get(`Patient/${encodeURIComponent(session.patientId)}`),
      session.client.searchAll(`RelatedPerson?patient=Patient/${encodeURIComponent(session.patientId)}&_count=50`),
    ]);
    people = [{ reference: `Patient/${patient.id}`, label: `${personName(patient) || patient.id} (${t('client')})` },
      ...relatedPersons.map((rp) => ({ reference: `RelatedPerson/${rp.id}`, label: `${personName(rp)} (${t('parent')})` }))];
    if (!canonical) {
      await showPicker();
      return;
    }
    questionnaire = await loadQuestionnaire(canonical);
    state = loadDraft() || initialState();
    renderForm();
  } catch (e) {
    showError(errorMessage(e));
  }
}

function dashboardLink() {
  return session.mode === 'development' ? `../?patient=${encodeURIComponent(session.patientId)}` : '../';
}

function formLink(canonical) {
  const query = new URLSearchParams({ questionnaire: canonical });
  if (session.mode === 'development') query.set('patient', session.patientId);
  return `?${query}`;
}

async function showPicker() {
  const list = await session.client.searchAll('Questionnaire?status=active&_count=50');
  const container = $('#picker');
  container.append(element('h2', t('chooseQuestionnaire')));
  const ul = document.createElement('ul');
  ul.className = 'picker';
  list.sort((a, b) => a.title.localeCompare(b.title)).forEach((q) => {
    const a = element('a', translated(q.title, q._title));
    a.href = formLink(`${q.url}|${q.version}`);
    const li = document.createElement('li');
    li.append(a);
    ul.append(li);
  });
  container.append(ul);
  container.hidden = false;
}

async function loadQuestionnaire(canonical) {
  const [url, version] = canonical.split('|');
  const found = await session.client.searchAll(`Questionnaire?url=${encodeURIComponent(url)}`
    + (version ? `&version=${encodeURIComponent(version)}` : ''));
  if (!found.length) throw new LaunchError('noQuestionnaire', canonical);
  return found.sort((a, b) => compareVersions(b.version, a.version))[0];
}

function compareVersions(a = '', b = '') {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) - (pb[i] || 0);
  }
  return 0;
}

/** A new answer state: the default author, and for a repeating group with a member reference one per family member. */
function initialState() {
  const answers = {};
  for (const item of questionnaire.item || []) {
    if (item.type === 'group' && item.repeats && (item.item || []).some((c) => c.type === 'reference')) {
      const ref = item.item.find((c) => c.type === 'reference').linkId;
      answers[item.linkId] = people.map((p) => ({ [ref]: p.reference }));
    }
  }
  return { author: defaultAuthor(), answers };
}

function defaultAuthor() {
  const performer = (questionnaire.extension || []).find((e) => e.url === PERFORMER_TYPE)?.valueCode;
  if (performer === 'Practitioner' && session.user) return session.user;
  if (performer === 'RelatedPerson' && people[1]) return people[1].reference;
  return performer === 'Practitioner' ? '' : people[0].reference;
}

function draftKey() {
  return `alliance-form-draft|${session.patientId}|${questionnaire.url}|${questionnaire.version}`;
}

function loadDraft() {
  try {
    return JSON.parse(sessionStorage.getItem(draftKey()) || 'null');
  } catch {
    return null;
  }
}

function saveDraft() {
  sessionStorage.setItem(draftKey(), JSON.stringify(state));
}

function renderForm(focusId) {
  $('#title').textContent = translated(questionnaire.title, questionnaire._title);
  const form = $('#questionnaire-form');
  const fields = $('#fields');
  fields.replaceChildren();
  fields.append(authorField());
  renderItems(questionnaire.item || [], state.answers, fields, { people, onChange: saveDraft, rerender: renderForm });
  form.hidden = false;
  if (focusId) document.getElementById(focusId)?.focus();
}

function authorField() {
  const field = element('div');
  field.className = 'field author';
  const label = element('label', t('filledBy'));
  label.htmlFor = 'author';
  const select = document.createElement('select');
  select.id = 'author';
  const options = [...people];
  if (session.user && !options.some((p) => p.reference === session.user)) {
    options.push({ reference: session.user, label: t('therapist') });
  }
  if (state.author && !options.some((p) => p.reference === state.author)) {
    options.push({ reference: state.author, label: state.author });
  }
  options.forEach((p) => {
    const option = element('option', p.label);
    option.value = p.reference;
    option.selected = p.reference === state.author;
    select.append(option);
  });
  select.addEventListener('change', () => { state.author = select.value; saveDraft(); });
  field.append(label, select);
  return field;
}

async function submit(event) {
  event.preventDefault();
  const problems = $('#problems');
  problems.hidden = true;
  document.querySelectorAll('.field.invalid').forEach((f) => f.classList.remove('invalid'));
  const missing = unanswered(questionnaire.item || [], state.answers);
  if (missing.length) {
    showProblems([t('unanswered', { items: missing.map((m) => m.text).join('; ') })], missing.map((m) => m.linkId));
    return;
  }
  const button = $('#submit');
  button.disabled = true;
  button.textContent = t('saving');
  try {
    const response = await session.client.post('QuestionnaireResponse', {
      resourceType: 'QuestionnaireResponse',
      questionnaire: `${questionnaire.url}|${questionnaire.version}`,
      status: 'completed',
      subject: { reference: `Patient/${session.patientId}` },
      author: state.author ? { reference: state.author } : undefined,
      authored: localDateTime(new Date()),
      item: responseItems(questionnaire.item || [], state.answers),
    });
    sessionStorage.removeItem(draftKey());
    await showResult(response.id);
  } catch (e) {
    const linkIds = (e.issues || []).flatMap((i) => i.expression || []).flatMap((x) => [...x.matchAll(/linkId = '([^']+)'/g)].map((m) => m[1]));
    showProblems([t('refused'), ...(e.messages || [e.message]), t('keptAnswers')], linkIds);
  } finally {
    button.disabled = false;
    button.textContent = t('submit');
  }
}

function showProblems(messages, linkIds) {
  const problems = $('#problems');
  problems.replaceChildren();
  const list = document.createElement('ul');
  messages.forEach((m) => list.append(element('li', m)));
  problems.append(list);
  problems.hidden = false;
  linkIds.forEach((id) => document.querySelectorAll(`.field[data-link-id="${CSS.escape(id)}"]`)
    .forEach((f) => f.classList.add('invalid')));
  problems.focus();
}

/** Now as a FHIR dateTime with the device's time-zone offset, e.g. 2026-11-13T16:45:00+01:00. */
function localDateTime(date) {
  const pad = (n) => String(Math.abs(n)).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:`
    + `${pad(date.getMinutes())}:${pad(date.getSeconds())}${offset >= 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

async function showResult(responseId) {
  $('#questionnaire-form').hidden = true;
  const result = $('#result');
  result.hidden = false;
  const [scores, codeSystems, summary] = await Promise.all([
    session.client.searchAll(`Observation?subject=Patient/${encodeURIComponent(session.patientId)}`
      + `&derived-from=QuestionnaireResponse/${responseId}`),
    session.client.searchAll(`CodeSystem?url=${ALLIANCE}`),
    session.client.get(`Patient/${encodeURIComponent(session.patientId)}/$alliance-summary`),
  ]);
  const labels = conceptLabels(codeSystems);
  const body = $('#result-scores');
  body.replaceChildren();
  for (const score of scores.filter((o) => o.valueQuantity)) {
    body.append(scoreBlock(score, labels, previousOf(summary, score)));
  }
  result.querySelector('h2').focus();
  pollSignals(scores.map((o) => `Observation/${o.id}`), 0);
}

function previousOf(summary, score) {
  const code = score.code.coding[0].code;
  const series = (summary.parameter || []).filter((p) => p.name === 'series').find((p) =>
    p.part.some((x) => x.name === 'latestObservation' && x.valueReference.reference === `Observation/${score.id}`)
    && p.part.some((x) => x.name === 'code' && x.valueCoding.code === code));
  const previous = series?.part.find((x) => x.name === 'previous');
  const date = series?.part.find((x) => x.name === 'previousDate');
  return previous ? { value: previous.valueQuantity.value, date: date?.valueDateTime } : null;
}

function scoreBlock(score, labels, previous) {
  const block = document.createElement('section');
  block.className = 'result-block';
  block.dataset.code = score.code.coding[0].code;
  block.append(element('h3', label(labels, score.code.coding[0].code)));
  const value = element('p', formatNumber(score.valueQuantity.value));
  value.className = 'result-score';
  block.append(value);
  const interpretation = score.interpretation?.[0];
  if (interpretation) {
    block.append(element('p', language() === 'en' ? interpretation.coding?.[0]?.display || interpretation.text : interpretation.text));
  }
  const range = score.referenceRange?.[0];
  if (range?.low) block.append(element('p', `${t('band')}: ${formatNumber(range.low.value)}`));
  if (previous) {
    block.append(element('p', `${t('previous')} (${formatDate(previous.date)}): ${formatNumber(previous.value)}`));
  }
  const parts = (score.component || []).filter((c) => c.valueQuantity);
  if (parts.length) {
    const list = document.createElement('ul');
    parts.forEach((c) => list.append(element('li', `${label(labels, c.code.coding[0].code)}: ${formatNumber(c.valueQuantity.value)}`)));
    block.append(list);
  }
  return block;
}

/** Alerts are raised shortly after the response is stored: look for those about these scores for a few seconds. */
async function pollSignals(observations, attempt) {
  const box = $('#signals');
  const summary = await session.client.get(`Patient/${encodeURIComponent(session.patientId)}/$alliance-summary`);
  const alerts = (summary.parameter || []).filter((p) => p.name === 'alert').map((p) => p.resource)
    .filter((task) => observations.includes(task.focus?.reference));
  box.replaceChildren(element('h3', t('signals')));
  if (alerts.length || attempt >= SIGNAL_POLLS) {
    const list = document.createElement('ul');
    alerts.forEach((task) => list.append(element('li', translated(task.description, task._description))));
    box.append(alerts.length ? list : element('p', t('noSignals')));
    return;
  }
  box.append(element('p', t('signalsPending')));
  setTimeout(() => pollSignals(observations, attempt + 1), 1000);
}

function showError(message) {
  const box = $('#error');
  box.textContent = message;
  box.hidden = false;
}

function element(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

$('#questionnaire-form').addEventListener('submit', submit);
$('#another').addEventListener('click', () => { location.href = formLink(`${questionnaire.url}|${questionnaire.version}`); });
start();
