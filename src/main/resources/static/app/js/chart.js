// Trend charts as plain SVG: time on x, score on y, the cut-off band shaded, one line per series, markers for
// reliable change. SVG keeps the chart in the accessibility tree (role img with a label) and scales on tablets.
import { formatDate, formatNumber, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 16, bottom: 36, left: 44 };
/** Okabe–Ito colours (distinguishable with colour-blindness, at least 3:1 against white) and a dash per series. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#7A5C00', '#56186E'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 4', '1 2'];
const SHAPES = ['circle', 'square', 'diamond', 'triangle', 'circle', 'square'];

let chartCount = 0;

/**
 * Draws one chart into `container`. `series`: [{label, points: [{date, value, interpretation, marker}]}];
 * `band`: {low, high} or null.
 */
export function renderTrendChart(container, { title, series, band }) {
  const id = `chart-${++chartCount}`;
  const points = series.flatMap((s) => s.points);
  const times = points.map((p) => Date.parse(p.date));
  const [xMin, xMax] = padTime(Math.min(...times), Math.max(...times));
  const values = points.map((p) => p.value).concat(band ? [band.low, band.high].filter(isFinite) : []);
  const [yMin, yMax, step] = niceRange(Math.min(0, ...values), Math.max(...values));
  const x = (date) => MARGIN.left + ((Date.parse(date) - xMin) / (xMax - xMin)) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (v) => HEIGHT - MARGIN.bottom - ((v - yMin) / (yMax - yMin)) * (HEIGHT - MARGIN.top - MARGIN.bottom);

  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': `${id}-desc`,
    class: 'trend-chart', preserveAspectRatio: 'xMidYMid meet' });
  const bandText = band ? t('bandText', { low: formatNumber(band.low), high: formatNumber(band.high) }) : t('noBand');
  svg.append(el('title', { id: `${id}-desc` }, t('chartLabel', { title, count: points.length, band: bandText })));
  if (band) drawBand(svg, band, y, yMin, yMax);
  drawAxes(svg, { yMin, yMax, step, xMin, xMax, x, y });
  series.forEach((s, i) => drawSeries(svg, s, i, x, y));

  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.append(svg, legend(series));
  container.append(figure);
  return figure;
}

function drawBand(svg, band, y, yMin, yMax) {
  const low = Math.max(band.low ?? yMin, yMin);
  const high = Math.min(band.high ?? yMax, yMax);
  svg.append(el('rect', { class: 'cutoff-band', x: MARGIN.left, width: WIDTH - MARGIN.left - MARGIN.right,
    y: y(high), height: Math.max(0, y(low) - y(high)), 'data-low': band.low, 'data-high': band.high }));
  svg.append(el('line', { class: 'cutoff-line', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(low), y2: y(low) }));
}

function drawAxes(svg, { yMin, yMax, step, xMin, xMax, x, y }) {
  const axes = el('g', { class: 'axes', 'aria-hidden': 'true' });
  for (let v = yMin; v <= yMax + step / 2; v += step) {
    axes.append(el('line', { class: 'grid', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(v), y2: y(v) }));
    axes.append(el('text', { x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, formatNumber(round(v))));
  }
  const ticks = Math.min(6, Math.max(2, Math.round((xMax - xMin) / 86_400_000 / 7) + 1));
  for (let i = 0; i < ticks; i++) {
    const date = new Date(xMin + ((xMax - xMin) * i) / (ticks - 1)).toISOString();
    const anchor = i === 0 ? 'start' : i === ticks - 1 ? 'end' : 'middle';
    axes.append(el('text', { x: x(date), y: HEIGHT - MARGIN.bottom + 18, 'text-anchor': anchor }, formatDate(date)));
  }
  svg.append(axes);
}

function drawSeries(svg, series, index, x, y) {
  const colour = COLOURS[index % COLOURS.length];
  const group = el('g', { class: 'series', 'data-series': series.label, 'aria-hidden': 'true' });
  const sorted = [...series.points].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  group.append(el('polyline', { fill: 'none', stroke: colour, 'stroke-width': 2.5,
    'stroke-dasharray': DASHES[index % DASHES.length], points: sorted.map((p) => `${x(p.date)},${y(p.value)}`).join(' ') }));
  for (const p of sorted) {
    const shape = point(SHAPES[index % SHAPES.length], x(p.date), y(p.value), colour, p.interpretation);
    shape.append(el('title', {}, `${series.label}: ${formatNumber(p.value)}, ${formatDate(p.date)}`
      + (p.interpretationText ? ` (${p.interpretationText})` : '')));
    group.append(shape);
    if (p.marker?.direction) {
      const up = p.marker.direction === 'up';
      group.append(el('text', { class: `rc-marker ${up ? 'up' : 'down'}`, x: x(p.date), 'text-anchor': 'middle',
        y: y(p.value) + (up ? -10 : 20) }, up ? '▲' : '▼'));
    }
  }
  svg.append(group);
}

function point(shape, cx, cy, colour, interpretation) {
  const outside = interpretation === 'L' || interpretation === 'H';
  const attrs = { class: `point${outside ? ' outside' : ''}`, fill: outside ? '#ffffff' : colour, stroke: colour,
    'stroke-width': 2.5 };
  const r = 5;
  if (shape === 'square') return el('rect', { ...attrs, x: cx - r, y: cy - r, width: 2 * r, height: 2 * r });
  if (shape === 'diamond') return el('polygon', { ...attrs, points: `${cx},${cy - r - 1} ${cx + r + 1},${cy} ${cx},${cy + r + 1} ${cx - r - 1},${cy}` });
  if (shape === 'triangle') return el('polygon', { ...attrs, points: `${cx},${cy - r - 1} ${cx + r + 1},${cy + r} ${cx - r - 1},${cy + r}` });
  return el('circle', { ...attrs, cx, cy, r });
}

function legend(series) {
  const list = document.createElement('ul');
  list.className = 'legend';
  series.forEach((s, i) => {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch dash-${i % DASHES.length}`;
    swatch.style.borderColor = COLOURS[i % COLOURS.length];
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, document.createTextNode(s.label));
    list.append(item);
  });
  return list;
}

function padTime(min, max) {
  const day = 86_400_000;
  return min === max ? [min - 3 * day, max + 3 * day] : [min - (max - min) * 0.04, max + (max - min) * 0.04];
}

function niceRange(min, max) {
  const span = max - min || 1;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step, step];
}

function round(v) {
  return Math.round(v * 1000) / 1000;
}

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  Object.entries(attrs).forEach(([k, v]) => v !== undefined && v !== '' && node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
}
