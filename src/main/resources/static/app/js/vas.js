// A visual-analogue scale: a horizontal line between two pole labels that the respondent marks by tapping, clicking
// or dragging, or with the keyboard (a WAI-ARIA slider); it starts unmarked, so no answer is ever presumed.
import { formatNumber, t } from './i18n.js';

/** Builds the control; `onChange(value)` gets each new mark, rounded to `decimals` places. */
export function vasControl({ labelledBy, min, max, decimals, value, poles, onChange }) {
  const step = 10 ** -decimals;
  const wrapper = document.createElement('div');
  wrapper.className = 'vas';
  const track = document.createElement('div');
  track.className = 'vas-track';
  track.tabIndex = 0;
  track.setAttribute('role', 'slider');
  track.setAttribute('aria-labelledby', labelledBy);
  track.setAttribute('aria-valuemin', min);
  track.setAttribute('aria-valuemax', max);
  track.setAttribute('aria-orientation', 'horizontal');
  const mark = document.createElement('div');
  mark.className = 'vas-mark';
  track.append(mark);
  const poleRow = document.createElement('div');
  poleRow.className = 'vas-poles';
  poleRow.setAttribute('aria-hidden', 'true');
  poles.forEach((pole) => {
    const span = document.createElement('span');
    span.textContent = pole;
    poleRow.append(span);
  });
  const shown = document.createElement('p');
  shown.className = 'vas-value';
  shown.setAttribute('aria-hidden', 'true');
  wrapper.append(track, poleRow, shown);

  let current = value ?? null;
  const set = (next, notify = true) => {
    current = next === null ? null : Math.min(max, Math.max(min, Math.round(next / step) * step));
    if (current !== null) current = Number(current.toFixed(decimals));
    mark.hidden = current === null;
    if (current !== null) mark.style.left = `${((current - min) / (max - min)) * 100}%`;
    const text = current === null ? t('notMarked') : formatNumber(current);
    if (current === null) track.removeAttribute('aria-valuenow');
    else track.setAttribute('aria-valuenow', current);
    track.setAttribute('aria-valuetext', `${text} (${poles[0]} ${formatNumber(min)}, ${poles[1]} ${formatNumber(max)})`);
    shown.textContent = text;
    if (notify) onChange(current);
  };
  const fromPointer = (event) => {
    const rect = track.getBoundingClientRect();
    set(min + ((event.clientX - rect.left) / rect.width) * (max - min));
  };
  track.addEventListener('pointerdown', (event) => {
    track.setPointerCapture(event.pointerId);
    track.focus();
    fromPointer(event);
  });
  track.addEventListener('pointermove', (event) => {
    if (track.hasPointerCapture(event.pointerId)) fromPointer(event);
  });
  track.addEventListener('keydown', (event) => {
    const base = current ?? (min + max) / 2;
    const moves = { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step, PageDown: -1, PageUp: 1 };
    if (event.key in moves) set(current === null ? base : base + moves[event.key]);
    else if (event.key === 'Home') set(min);
    else if (event.key === 'End') set(max);
    else return;
    event.preventDefault();
  });
  set(current, false);
  return wrapper;
}
