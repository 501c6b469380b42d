// The clinician dashboard: a patient's alliance and outcome scores over time, the split-alliance indices and the
// open alerts, each chart with a table of the same numbers.
import { renderAlerts } from './alerts.js';
import { renderTrendChart } from './chart.js';
import { formatDate, formatNumber, t } from './i18n.js';
import { ALLIANCE, FEEDBACK, buildGroups, conceptLabels, label, personName, respondentNamer } from './model.js';
import { openPage } from './page.js';

const REFRESH_MS = 30_000;
const $ = (selector) => document.querySelector(selector);
let session;
let lastData;

async function start() {
  session = await openPage({ onLanguageChange: () => lastData && render(lastData), showError });
  $('#refresh').addEventListener('click', () => load());
  if (!session) return;
  $('#new-form').href = formLink();
  $('#new-form').hidden = false;
  await load();
  setInterval(() => document.visibilityState === 'visible' && load(), REFRESH_MS);
}

function formLink() {
  const query = new URLSearchParams(session.mode === 'development' ? { patient: session.patientId } : {});
  return `form/${query.toString() ? `?${query}` : ''}`;
}

async function load() {
  const { client, patientId } = session;
  const id = encodeURIComponent(patientId);
  try {
    const [patient, observations, summary, relatedPersons, codeSystems] = await Promise.all([
      client.get(`Patient/${id}`),
      client.searchAll(`Observation?subject=Patient/${id}&category=survey&_sort=date&_count=200`),
      client.get(`Patient/${id}/$alliance-summary`),
      client.searchAll(`RelatedPerson?patient=Patient/${id}&_count=50`),
      client.searchAll(`CodeSystem?url=${ALLIANCE},${FEEDBACK}&_count=10`),
    ]);
    lastData = { patient, observations, summary, relatedPersons, codeSystems };
    render(lastData);
  } catch (e) {
    showError(t('loadFailed', { detail: e.message }));
  }
}

function render({ patient, observations, summary, relatedPersons, codeSystems }) {
  $('#error').hidden = true;
  const name = personName(patient) || patient.id;
  $('#patient').textContent = `${t('patient')}: ${name}${patient.birthDate ? ` (${t('born')} ${formatDate(patient.birthDate)})` : ''}`;
  const labels = conceptLabels(codeSystems);
  const nameOf = respondentNamer(patient.id, relatedPersons);
  const { groups, splits } = buildGroups(observations, labels, nameOf);
  const parts = (name) => (summary.parameter || []).filter((p) => p.name === name).map((p) => p.resource);
  renderAlerts($('#alerts-list'), { tasks: parts('alert'), flags: parts('flag'), observations, labels, client: session.client,
    onChange: load, announce });
  renderGroups($('#charts'), groups);
  renderSplits($('#splits-list'), splits, labels);
  $('#main').setAttribute('aria-busy', 'false');
}

function renderGroups(container, groups) {
  container.replaceChildren();
  if (!groups.length) {
    container.append(text('p', t('noData')));
    return;
  }
  for (const group of groups) {
    const section = document.createElement('section');
    section.className = 'instrument';
    section.dataset.instrument = group.key;
    section.setAttribute('aria-labelledby', `h-${group.key}`);
    const heading = text('h3', group.title);
    heading.id = `h-${group.key}`;
    section.append(heading);
    group.charts.forEach((chart, i) => section.append(chartBlock(group.key, chart, i)));
    container.append(section);
  }
}

function chartBlock(key, chart, index) {
  const block = document.createElement(chart.kind === 'components' ? 'details' : 'div');
  block.className = `chart-block ${chart.kind}`;
  block.dataset.chart = `${key}-${chart.kind}-${index}`;
  block.append(text(chart.kind === 'components' ? 'summary' : 'h4', chart.title));
  const layout = document.createElement('div');
  layout.className = 'chart-layout';
  renderTrendChart(layout, chart);
  layout.append(table(chart));
  block.append(layout);
  return block;
}

function table(chart) {
  const wrapper = document.createElement('div');
  wrapper.className = 'table-wrapper';
  wrapper.tabIndex = 0;
  wrapper.setAttribute('role', 'region');
  wrapper.setAttribute('aria-label', `${t('table')}: ${chart.title}`);
  const tableEl = document.createElement('table');
  tableEl.className = 'data-table';
  const caption = text('caption', chart.band
    ? `${chart.title}; ${t('band')}: ${formatNumber(chart.band.low)}–${formatNumber(chart.band.high)}` : chart.title);
  const head = document.createElement('thead');
  head.append(row('th', [t('date'), t('respondent'), t('score'), t('interpretation'), t('change')], 'col'));
  const body = document.createElement('tbody');
  const rows = chart.series.flatMap((s) => s.points.map((p) => ({ s, p })))
    .sort((a, b) => Date.parse(a.p.date) - Date.parse(b.p.date) || a.s.label.localeCompare(b.s.label));
  for (const { s, p } of rows) {
    const tr = row('td', [formatDate(p.date), s.label, formatNumber(p.value), p.interpretationText || '', change(p.marker)]);
    tr.dataset.observation = p.id;
    body.append(tr);
  }
  tableEl.append(caption, head, body);
  wrapper.append(tableEl);
  return wrapper;
}

function change(marker) {
  if (!marker || marker.change === undefined) return '';
  const sign = marker.change > 0 ? '+' : '';
  const arrow = marker.direction === 'up' ? '▲ ' : marker.direction === 'down' ? '▼ ' : '';
  return `${arrow}${sign}${formatNumber(marker.change)}${marker.text ? ` (${marker.text})` : ''}`;
}

function renderSplits(container, splits, labels) {
  container.replaceChildren();
  if (!splits.length) {
    container.append(text('p', t('noSplits')));
    return;
  }
  const tableEl = document.createElement('table');
  tableEl.className = 'data-table splits';
  tableEl.append(text('caption', t('splits')));
  const head = document.createElement('thead');
  head.append(row('th', [t('index'), t('date'), t('value')], 'col'));
  const body = document.createElement('tbody');
  for (const split of splits) {
    const values = split.components.map((c) => `${t(c.code) === c.code ? label(labels, c.code) : t(c.code)}: ${formatNumber(c.value)}`);
    const tr = row('td', [split.title, formatDate(split.date), values.join('; ')]);
    tr.dataset.code = split.code;
    body.append(tr);
  }
  tableEl.append(head, body);
  container.append(tableEl);
}

function row(cell, values, scope) {
  const tr = document.createElement('tr');
  values.forEach((v, i) => {
    const c = text(i === 0 && cell === 'td' ? 'th' : cell, v);
    if (scope) c.scope = scope;
    else if (i === 0) c.scope = 'row';
    tr.append(c);
  });
  return tr;
}

function text(tag, value) {
  const node = document.createElement(tag);
  node.textContent = value;
  return node;
}

function announce(message, isError = false) {
  const region = $('#status');
  region.textContent = message;
  region.classList.toggle('error', isError);
}

function showError(message) {
  const box = $('#error');
  box.textContent = message;
  box.hidden = false;
  $('#main').setAttribute('aria-busy', 'false');
}

start();
