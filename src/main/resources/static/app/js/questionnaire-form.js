// Renders a Questionnaire's items as form controls bound to a plain answer state, and turns that state into
// QuestionnaireResponse items. Score items the server calculates (calculatedExpression) are neither shown nor sent.
import { t, translated } from './i18n.js';
import { vasControl } from './vas.js';

const EXT = {
  calculated: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression',
  min: 'http://hl7.org/fhir/StructureDefinition/minValue',
  max: 'http://hl7.org/fhir/StructureDefinition/maxValue',
  decimals: 'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces',
  itemControl: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
};

const ext = (item, url) => (item.extension || []).find((e) => e.url === url);
export const isCalculated = (item) => Boolean(ext(item, EXT.calculated));
const textOf = (item) => translated(item.text || item.linkId, item._text);

/**
 * Renders `items` into `container`. `context`: {state, people: [{reference, label}], onChange, rerender}; the state
 * holds an answer per linkId, and per repeating group an array of instance states.
 */
export function renderItems(items, state, container, context, path = '') {
  for (const item of items) {
    if (isCalculated(item) || isPoleLabel(item)) continue;
    const id = `item-${(path + item.linkId).replace(/[^\w-]/g, '_')}`;
    if (item.type === 'display') {
      container.append(element('p', { className: 'display' }, textOf(item)));
    } else if (item.type === 'group' && item.repeats) {
      renderRepeatingGroup(item, state, container, context, id);
    } else if (item.type === 'group') {
      const fieldset = element('fieldset', { className: 'field group' });
      fieldset.append(element('legend', {}, textOf(item)));
      state[item.linkId] ||= {};
      renderItems(item.item || [], state[item.linkId], fieldset, context, `${path}${item.linkId}.`);
      container.append(fieldset);
    } else {
      container.append(question(item, state, context, id));
    }
  }
}

function renderRepeatingGroup(item, state, container, context, id) {
  const instances = state[item.linkId] ||= [{}];
  instances.forEach((instance, index) => {
    const fieldset = element('fieldset', { className: 'member-group' });
    fieldset.dataset.linkId = item.linkId;
    fieldset.append(element('legend', {}, `${textOf(item)} ${index + 1}`));
    renderItems(item.item || [], instance, fieldset, context, `${item.linkId}-${index}.`);
    if (instances.length > 1) {
      const remove = element('button', { type: 'button', className: 'remove' }, t('removeMember'));
      remove.addEventListener('click', () => { instances.splice(index, 1); context.onChange(); context.rerender(); });
      fieldset.append(remove);
    }
    container.append(fieldset);
  });
  const add = element('button', { type: 'button', className: 'add', id: `${id}-add` }, t('addMember'));
  add.addEventListener('click', () => { instances.push({}); context.onChange(); context.rerender(`${id}-add`); });
  container.append(add);
}

function question(item, state, context, id) {
  const field = element('div', { className: 'field', id: `${id}-field` });
  field.dataset.linkId = item.linkId;
  const labelId = `${id}-label`;
  const label = element('p', { className: 'question', id: labelId }, textOf(item));
  if (item.required) label.append(element('span', { className: 'required' }, ` (${t('required')})`));
  field.append(label);
  const set = (value) => { state[item.linkId] = value; field.classList.remove('invalid'); context.onChange(); };
  const min = ext(item, EXT.min)?.valueDecimal ?? ext(item, EXT.min)?.valueInteger;
  const max = ext(item, EXT.max)?.valueDecimal ?? ext(item, EXT.max)?.valueInteger;
  if (item.type === 'decimal' && min !== undefined && max !== undefined) {
    field.append(element('p', { className: 'hint', id: `${id}-hint` }, t('vasHelp')));
    field.append(vasControl({ labelledBy: labelId, min, max, decimals: ext(item, EXT.decimals)?.valueInteger ?? 1,
      value: state[item.linkId], poles: poles(item), onChange: set }));
  } else if (item.answerOption?.length) {
    field.append(radios(item, state[item.linkId], labelId, id, set));
  } else if (item.type === 'reference') {
    field.append(select(context.people, state[item.linkId], labelId, id, set));
  } else {
    field.append(input(item, state[item.linkId], labelId, set));
  }
  return field;
}

/** Pole labels from display children with item control lower/upper (SDC), else the app's generic ones. */
function poles(item) {
  const find = (code) => (item.item || []).find((c) => isPoleLabel(c)
    && ext(c, EXT.itemControl).valueCodeableConcept.coding?.some((x) => x.code === code));
  const low = find('lower');
  const high = find('upper');
  return [low ? textOf(low) : t('vasLow'), high ? textOf(high) : t('vasHigh')];
}

function isPoleLabel(item) {
  return item.type === 'display'
    && ext(item, EXT.itemControl)?.valueCodeableConcept?.coding?.some((c) => ['lower', 'upper'].includes(c.code));
}

function radios(item, value, labelId, id, set) {
  const group = element('div', { className: item.answerOption.length > 5 ? 'choices scale' : 'choices', role: 'radiogroup' });
  group.setAttribute('aria-labelledby', labelId);
  item.answerOption.forEach((option, index) => {
    const coding = option.valueCoding;
    const optionValue = coding || option.valueString || option.valueInteger;
    const label = element('label');
    const radio = element('input', { type: 'radio', name: id, id: `${id}-${index}` });
    radio.checked = value !== undefined && sameOption(value, optionValue);
    radio.addEventListener('change', () => set(optionValue));
    const text = coding ? translated(coding.display || coding.code, coding._display) : String(optionValue);
    label.append(radio, document.createTextNode(text));
    group.append(label);
  });
  return group;
}

function sameOption(a, b) {
  return typeof a === 'object' ? a?.code === b?.code && a?.system === b?.system : a === b;
}

function select(people, value, labelId, id, set) {
  const control = element('select', { id: `${id}-select` });
  control.setAttribute('aria-labelledby', labelId);
  control.append(element('option', { value: '' }, t('choose')));
  const known = people.some((person) => person.reference === value);
  (value && !known ? [...people, { reference: value, label: value }] : people).forEach((person) => {
    const option = element('option', { value: person.reference }, person.label);
    option.selected = person.reference === value;
    control.append(option);
  });
  control.addEventListener('change', () => set(control.value || undefined));
  return control;
}

function input(item, value, labelId, set) {
  const numeric = item.type === 'decimal' || item.type === 'integer';
  const control = element(item.type === 'text' ? 'textarea' : 'input', { type: numeric ? 'text' : 'text' });
  if (numeric) control.inputMode = item.type === 'integer' ? 'numeric' : 'decimal';
  control.setAttribute('aria-labelledby', labelId);
  control.value = value ?? '';
  control.addEventListener('input', () => set(control.value === '' ? undefined : control.value));
  return control;
}

/** The QuestionnaireResponse items of the answered questions, in the Questionnaire's order. */
export function responseItems(items, state) {
  const result = [];
  for (const item of items) {
    if (isCalculated(item) || item.type === 'display') continue;
    const value = state[item.linkId];
    if (item.type === 'group') {
      const instances = item.repeats ? value || [] : [value || {}];
      for (const instance of instances) {
        const children = responseItems(item.item || [], instance);
        if (children.length) result.push({ linkId: item.linkId, item: children });
      }
    } else if (value !== undefined && value !== null && value !== '') {
      result.push({ linkId: item.linkId, answer: [answer(item, value)] });
    }
  }
  return result;
}

function answer(item, value) {
  if (item.answerOption?.length) {
    if (typeof value === 'object') return { valueCoding: { system: value.system, code: value.code, display: value.display } };
    return typeof value === 'number' ? { valueInteger: value } : { valueString: value };
  }
  switch (item.type) {
    case 'decimal': return { valueDecimal: Number(String(value).replace(',', '.')) };
    case 'integer': return { valueInteger: Number.parseInt(value, 10) };
    case 'reference': return { valueReference: { reference: value } };
    case 'boolean': return { valueBoolean: value === true || value === 'true' };
    default: return { valueString: String(value) };
  }
}

/** Texts of required questions without an answer (the server checks again). */
export function unanswered(items, state, prefix = '') {
  const missing = [];
  for (const item of items) {
    if (isCalculated(item) || item.type === 'display') continue;
    const value = state[item.linkId];
    if (item.type === 'group') {
      const instances = item.repeats ? value || [] : [value || {}];
      instances.forEach((instance, i) => missing.push(...unanswered(item.item || [], instance,
        item.repeats ? `${prefix}${t('memberGroup', { n: i + 1 })}: ` : prefix)));
    } else if (item.required && (value === undefined || value === null || value === '')) {
      missing.push({ linkId: item.linkId, text: prefix + textOf(item) });
    }
  }
  return missing;
}

function element(tag, props = {}, text) {
  const node = document.createElement(tag);
  Object.entries(props).forEach(([k, v]) => { if (k === 'role') node.setAttribute(k, v); else node[k] = v; });
  if (text !== undefined) node.textContent = text;
  return node;
}
