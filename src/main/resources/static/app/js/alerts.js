// The open alerts (Tasks) and active Flags of a patient, with the actions a clinician takes on them: complete a
// Task with an optional note, deactivate a Flag; both written back with the user's token.
import { formatDate, formatNumber, t, translated } from './i18n.js';
import { label } from './model.js';

/** Renders the alert list into `container`; `onChange` runs after a successful write. */
export function renderAlerts(container, { tasks, flags, observations, labels, client, onChange, announce }) {
  container.replaceChildren();
  if (!tasks.length && !flags.length) {
    container.append(paragraph(t('noAlerts')));
    return;
  }
  const list = document.createElement('ul');
  list.className = 'alert-list';
  const byId = new Map(observations.map((o) => [`Observation/${o.id}`, { ...o, label: label(labels, o.code?.coding?.[0]?.code) }]));
  const flagsById = new Map(flags.map((flag) => [flag.id, flag]));
  for (const task of tasks) {
    const flag = flagsById.get(task.id);
    flagsById.delete(task.id);
    list.append(item({ kind: 'task', resource: task, flag, text: translated(task.description, task._description),
      date: task.authoredOn, reason: byId.get(task.reasonReference?.reference || task.focus?.reference),
      client, onChange, announce }));
  }
  for (const flag of flagsById.values()) {
    const detail = flag.extension?.find((e) => e.url.endsWith('/flag-detail'))?.valueReference?.reference;
    list.append(item({ kind: 'flag', resource: null, flag, text: flag.code?.text, date: flag.period?.start,
      reason: byId.get(detail), client, onChange, announce }));
  }
  container.append(list);
}

/** One alert: its Task (to complete) and the Flag raised with it (to deactivate), or a Flag alone. */
function item({ kind, resource, flag, text, date, reason, client, onChange, announce }) {
  const li = document.createElement('li');
  li.className = `alert ${kind} priority-${resource?.priority || 'routine'}`;
  li.dataset.task = resource ? resource.id : '';
  li.dataset.flag = flag ? flag.id : '';
  const heading = document.createElement('p');
  heading.className = 'alert-text';
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.textContent = t(kind);
  heading.append(badge, document.createTextNode(` ${text || ''}`));
  const meta = document.createElement('p');
  meta.className = 'alert-meta';
  meta.textContent = `${t('date')}: ${formatDate(date)}` + (reason ? ` · ${t('reason')}: ${reasonText(reason)}` : '')
    + (flag ? ` · ${t('flagActive')}` : '');
  li.append(heading, meta);
  if (resource) {
    const complete = button(t('complete'), 'button');
    complete.className = 'action complete';
    complete.addEventListener('click', () => {
      const form = completeForm(resource, client, onChange, announce);
      complete.hidden = true;
      li.append(form);
      form.querySelector('textarea').focus();
      form.addEventListener('cancel-form', () => { form.remove(); complete.hidden = false; complete.focus(); });
    });
    li.append(complete);
  }
  if (flag) {
    const off = button(t('deactivate'), 'button');
    off.className = 'action deactivate';
    off.addEventListener('click', () => deactivate(flag, client, off, onChange, announce));
    li.append(document.createTextNode(' '), off);
  }
  return li;
}

function reasonText(observation) {
  const value = observation.valueQuantity?.value;
  const code = observation.label;
  return `${code}${value !== undefined ? ` ${formatNumber(value)}` : ''} (${formatDate(observation.effectiveDateTime)})`;
}

function completeForm(task, client, onChange, announce) {
  const form = document.createElement('form');
  form.className = 'complete-form';
  const id = `note-${task.id}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = t('note');
  const note = document.createElement('textarea');
  note.id = id;
  note.rows = 2;
  const confirm = button(t('confirmComplete'), 'submit');
  const cancel = button(t('cancel'), 'button');
  cancel.addEventListener('click', () => form.dispatchEvent(new Event('cancel-form')));
  form.append(label, note, confirm, cancel);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    confirm.disabled = true;
    try {
      const current = await client.get(`Task/${encodeURIComponent(task.id)}`);
      const now = new Date().toISOString();
      current.status = 'completed';
      current.lastModified = now;
      current.executionPeriod = { ...(current.executionPeriod || {}), end: now };
      if (note.value.trim()) current.note = [...(current.note || []), { time: now, text: note.value.trim() }];
      await client.put(current);
      announce(t('completed'));
      onChange();
    } catch (e) {
      confirm.disabled = false;
      announce(t('saveFailed', { detail: e.message }), true);
    }
  });
  return form;
}

async function deactivate(flag, client, control, onChange, announce) {
  control.disabled = true;
  try {
    const current = await client.get(`Flag/${encodeURIComponent(flag.id)}`);
    current.status = 'inactive';
    current.period = { ...(current.period || {}), end: new Date().toISOString() };
    await client.put(current);
    announce(t('deactivated'));
    onChange();
  } catch (e) {
    control.disabled = false;
    announce(t('saveFailed', { detail: e.message }), true);
  }
}

function button(text, type) {
  const b = document.createElement('button');
  b.type = type;
  b.textContent = text;
  return b;
}

function paragraph(text) {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}
