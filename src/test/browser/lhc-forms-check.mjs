#!/usr/bin/env node
// Fills every Questionnaire with the scoring fixtures in LHC-Forms (headless Chromium) and checks that the
// scores LHC-Forms computes live from the calculatedExpressions equal expected-scores.csv.
//
// Usage:
//   node lhc-forms-check.mjs --questionnaires <FHIR base URL | directory of Questionnaire-*.json> --fixtures <dir>
//     [--only <questionnaire-id>[,<id>...]] [--fixture-timeout-ms 30000] [--total-timeout-ms 480000]
//     [--chromium /usr/bin/chromium]
//
// Filling: the fixture QuestionnaireResponse is handed to LHC-Forms' own import (addFormToPage option
// questionnaireResponse, i.e. mergeQuestionnaireResponseToLForms); LHC-Forms then runs its variables and
// calculatedExpressions before it reports the form ready. The scores are read back from the QuestionnaireResponse
// LHC-Forms produces (getFormFHIRData), cross-checked against its form model.
//
// Visual-analogue items (itemControl slider) are also checked once per Questionnaire: the served item carries the SDC
// rendering hints (0-10 range, entry format, lower and upper pole labels), and LHC-Forms shows the item as the widget
// this LHC-Forms version is known to render, with both pole labels reachable (summary fields vasChecked, vasWidgets).
//
// Output: one JSON line per check, then a summary line {"checked": n, "failed": m, "failures": [...], ...};
// the summary also counts checks read from the form model because R4 could not carry them (fromFormModel) and lists
// fixture answers that LHC-Forms dropped from its QR (warnings; they do not fail the run).
// Exit code 0 only when failed == 0 and checked > 0; 1 when a check failed; 2 on a usage or setup error.

import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const HERE = dirname(fileURLToPath(import.meta.url));
const LFORMS_DIST = join(HERE, 'node_modules', 'lforms', 'dist', 'lforms');
const HARNESS_PAGE = join(HERE, 'lhc-forms-harness.html');
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
// The repeating group of SOFTA-o whose instances the `member` column of expected-scores.csv counts.
const MEMBER_GROUP_LINK_ID = 'member';
const ITEM_CONTROL = 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl';
const ENTRY_FORMAT = 'http://hl7.org/fhir/StructureDefinition/entryFormat';
const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';
// LHC-Forms versions without a slider control (checked in its build: no 'slider' anywhere in 40.1.3): they render a
// decimal item with itemControl slider as a text box, show entryFormat as its placeholder and turn the item's
// display children into one help text (the last one wins). Any other version is expected to draw a slider.
const LFORMS_WITHOUT_SLIDER = new Set(['40.1.3']);

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
	const opts = {
		questionnaires: null,
		fixtures: null,
		only: null,
		fixtureTimeoutMs: 30_000,
		totalTimeoutMs: 480_000,
		chromium: '/usr/bin/chromium',
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			if (i + 1 >= argv.length) usage(`${arg} needs a value`);
			return argv[++i];
		};
		switch (arg) {
			case '--questionnaires': opts.questionnaires = value(); break;
			case '--fixtures': opts.fixtures = value(); break;
			case '--only': opts.only = new Set(value().split(',').map((s) => s.trim()).filter(Boolean)); break;
			case '--fixture-timeout-ms': opts.fixtureTimeoutMs = positiveInt(arg, value()); break;
			case '--total-timeout-ms': opts.totalTimeoutMs = positiveInt(arg, value()); break;
			case '--chromium': opts.chromium = value(); break;
			case '-h': case '--help': usage(null); break;
			default: usage(`unknown argument ${arg}`);
		}
	}
	if (!opts.questionnaires || !opts.fixtures) usage('--questionnaires and --fixtures are required');
	return opts;
}

function positiveInt(name, text) {
	const n = Number(text);
	if (!Number.isInteger(n) || n <= 0) usage(`${name} must be a positive integer`);
	return n;
}

function usage(message) {
	if (message) process.stderr.write(`lhc-forms-check: ${message}\n`);
	process.stderr.write('usage: node lhc-forms-check.mjs --questionnaires <baseUrl-or-dir> --fixtures <dir> '
		+ '[--only id,...] [--fixture-timeout-ms n] [--total-timeout-ms n] [--chromium path]\n');
	process.exit(message ? 2 : 0);
}

// ---------------------------------------------------------------- fixtures

/** Minimal CSV reader for expected-scores.csv (no quoted fields are used there; quotes are still honoured). */
function parseCsv(text) {
	const rows = [];
	for (const line of text.split(/\r?\n/)) {
		if (line.trim() === '') continue;
		const cells = [];
		let cell = '';
		let quoted = false;
		for (let i = 0; i < line.length; i++) {
			const c = line[i];
			if (quoted) {
				if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
			} else if (c === '"') quoted = true;
			else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
		}
		cells.push(cell);
		rows.push(cells);
	}
	const [header, ...body] = rows;
	return body.map((cells) => Object.fromEntries(header.map((h, i) => [h.trim(), (cells[i] ?? '').trim()])));
}

function loadFixtures(fixturesDir, only) {
	const root = resolve(fixturesDir);
	if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`fixtures directory not found: ${root}`);
	const cases = [];
	const unlisted = [];
	let rowCount = 0;
	for (const questionnaireId of readdirSync(root).sort()) {
		const dir = join(root, questionnaireId);
		const csvPath = join(dir, 'expected-scores.csv');
		if (!statSync(dir).isDirectory() || !existsSync(csvPath)) continue;
		if (only && !only.has(questionnaireId)) continue;
		const rows = parseCsv(readFileSync(csvPath, 'utf8'));
		for (const required of ['fixture', 'linkId', 'member', 'expected']) {
			if (rows.length > 0 && !(required in rows[0])) throw new Error(`${csvPath}: column ${required} missing`);
		}
		rowCount += rows.length;
		const byFixture = new Map();
		for (const row of rows) {
			if (!byFixture.has(row.fixture)) byFixture.set(row.fixture, []);
			byFixture.get(row.fixture).push({
				linkId: row.linkId,
				member: row.member === '' ? null : Number(row.member),
				expected: row.expected === '' ? null : row.expected,
			});
		}
		for (const name of readdirSync(dir).filter((n) => /^QuestionnaireResponse-.*\.json$/.test(n))) {
			const fixture = name.slice('QuestionnaireResponse-'.length, -'.json'.length);
			if (!byFixture.has(fixture)) unlisted.push(`${questionnaireId}/${name} has no rows in expected-scores.csv`);
		}
		for (const [fixture, expectations] of byFixture) {
			const qrPath = join(dir, `QuestionnaireResponse-${fixture}.json`);
			cases.push({ questionnaireId, fixture, qrPath, expectations });
		}
	}
	return { cases, rowCount, unlisted };
}

// ---------------------------------------------------------------- Questionnaire sources

function splitCanonical(canonical) {
	const bar = canonical.indexOf('|');
	return bar < 0 ? { url: canonical, version: null } : { url: canonical.slice(0, bar), version: canonical.slice(bar + 1) };
}

function directorySource(dir) {
	const root = resolve(dir);
	if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`Questionnaire directory not found: ${root}`);
	const byUrl = new Map();
	for (const name of readdirSync(root).filter((n) => /^Questionnaire-.*\.json$/.test(n)).sort()) {
		const q = JSON.parse(readFileSync(join(root, name), 'utf8'));
		if (q.resourceType !== 'Questionnaire' || !q.url) continue;
		if (!byUrl.has(q.url)) byUrl.set(q.url, []);
		byUrl.get(q.url).push(q);
	}
	return {
		describe: `directory ${root}`,
		async get(canonical) {
			const { url, version } = splitCanonical(canonical);
			const found = (byUrl.get(url) ?? []).filter((q) => version === null || q.version === version);
			if (found.length !== 1) throw new Error(`${found.length} Questionnaires in ${root} match ${canonical}`);
			return found[0];
		},
	};
}

function serverSource(baseUrl, timeoutMs) {
	const base = baseUrl.replace(/\/+$/, '');
	const cache = new Map();
	return {
		describe: `server ${base}`,
		async get(canonical) {
			if (cache.has(canonical)) return cache.get(canonical);
			const { url, version } = splitCanonical(canonical);
			const searchUrl = `${base}/Questionnaire?url=${encodeURIComponent(url)}`;
			const response = await fetch(searchUrl, {
				headers: { Accept: 'application/fhir+json' },
				signal: AbortSignal.timeout(timeoutMs),
			});
			if (!response.ok) throw new Error(`GET ${searchUrl}: HTTP ${response.status}`);
			const bundle = await response.json();
			if (bundle.resourceType !== 'Bundle') throw new Error(`GET ${searchUrl}: not a Bundle but ${bundle.resourceType}`);
			const found = (bundle.entry ?? []).map((e) => e.resource)
				.filter((r) => r && r.resourceType === 'Questionnaire' && r.url === url)
				.filter((r) => version === null || r.version === version);
			if (found.length !== 1) throw new Error(`GET ${searchUrl}: ${found.length} Questionnaires match ${canonical}`);
			cache.set(canonical, found[0]);
			return found[0];
		},
	};
}

// ---------------------------------------------------------------- static HTTP server for the harness

const CONTENT_TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.map': 'application/json',
	'.json': 'application/json',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.svg': 'image/svg+xml',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf',
};

function startStaticServer() {
	const server = createServer((req, res) => {
		const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
		let file = null;
		if (path === '/' || path === '/harness.html') file = HARNESS_PAGE;
		else if (path.startsWith('/lforms/')) {
			const candidate = resolve(LFORMS_DIST, '.' + path.slice('/lforms'.length));
			if (candidate.startsWith(LFORMS_DIST + sep)) file = candidate;
		}
		if (!file || !existsSync(file) || !statSync(file).isFile()) {
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			res.end('not found');
			return;
		}
		res.writeHead(200, {
			'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
			'Cache-Control': 'max-age=3600',
		});
		res.end(readFileSync(file));
	});
	return new Promise((resolvePromise, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolvePromise(server));
	});
}

// ---------------------------------------------------------------- code run inside the page

/**
 * Runs in Chromium: builds the form with the fixture's answers merged in, lets LHC-Forms run its expressions,
 * and returns LHC-Forms' own QuestionnaireResponse plus the values of the score items in its form model.
 */
async function fillInPage({ questionnaire, response, scoreLinkIds, memberGroupLinkId, settleMs, maxSettleMs }) {
	const container = document.getElementById('formContainer');
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
	const pageErrors = [];
	const onError = (e) => pageErrors.push(String(e.message ?? e.reason ?? e));
	window.addEventListener('error', onError);
	window.addEventListener('unhandledrejection', onError);
	try {
		LForms.Util.removeFormsFromPage(container);
		await LForms.Util.addFormToPage(questionnaire, container, {
			fhirVersion: 'R4',
			prepopulate: false,
			questionnaireResponse: response,
		});
		const readQr = () => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', container);
		// onFormReady fires after runCalculations; still wait until the response is stable, as a safety net.
		let previous = JSON.stringify(readQr().item ?? []);
		let stableSince = performance.now();
		const start = performance.now();
		while (performance.now() - stableSince < settleMs && performance.now() - start < maxSettleMs) {
			await sleep(50);
			const current = JSON.stringify(readQr().item ?? []);
			if (current !== previous) { previous = current; stableSince = performance.now(); }
		}
		const qr = readQr();

		// The same scores as LHC-Forms holds them in its form model (what the user sees on screen).
		const wanted = new Set(scoreLinkIds);
		const modelValues = [];
		const walk = (items, memberIndex, parent) => {
			let memberOrdinal = 0;
			for (const item of items ?? []) {
				let index = memberIndex;
				if (item.linkId === memberGroupLinkId) index = memberOrdinal++;
				if (wanted.has(item.linkId)) {
					const v = item.value;
					modelValues.push({
						linkId: item.linkId,
						member: index,
						value: v === undefined || v === null || v === '' ? null : (typeof v === 'object' ? JSON.stringify(v) : v),
						parentLinkId: parent ? parent.linkId : null,
						parentHasValue: parent ? !(parent.value === undefined || parent.value === null || parent.value === '') : null,
						parentIsQuestion: parent ? parent.dataType !== 'SECTION' && parent.dataType !== 'TITLE' : null,
					});
				}
				walk(item.items, index, item);
			}
		};
		const formData = LForms.Util._getFormObjectInScope(container);
		walk(formData ? formData.items : [], null, null);

		return { qr, modelValues, pageErrors };
	} finally {
		window.removeEventListener('error', onError);
		window.removeEventListener('unhandledrejection', onError);
	}
}

/**
 * Runs in Chromium: draws the blank form, as a client sees it before answering, and reports for each visual-analogue
 * item its inputs, any slider control, and the help text LHC-Forms holds for it.
 */
async function drawVisualAnalogueItems({ questionnaire, vasLinkIds }) {
	const container = document.getElementById('formContainer');
	LForms.Util.removeFormsFromPage(container);
	await LForms.Util.addFormToPage(questionnaire, container, { fhirVersion: 'R4', prepopulate: false });
	const formData = LForms.Util._getFormObjectInScope(container);
	return vasLinkIds.map((linkId) => {
		const node = container.querySelector(`[id="item-${linkId}/1"]`);
		const model = (formData ? formData.items : []).find((item) => item.linkId === linkId);
		return {
			linkId,
			found: node !== null,
			inputs: node ? [...node.querySelectorAll('input')].map((i) => ({ type: i.type, placeholder: i.placeholder })) : [],
			sliders: node ? node.querySelectorAll('input[type="range"], [role="slider"]').length : 0,
			helpButton: node ? node.querySelector('[id^="help-button-"]') !== null : false,
			help: model && model.codingInstructions ? String(model.codingInstructions) : null,
		};
	});
}

// ---------------------------------------------------------------- reading scores back from the QR

/** All occurrences of linkId in the QR items, each with the 0-based index of the enclosing member instance. */
function collectFromQr(qr, linkId) {
	const found = [];
	const walk = (items, memberIndex) => {
		let memberOrdinal = 0;
		for (const item of items ?? []) {
			let index = memberIndex;
			if (item.linkId === MEMBER_GROUP_LINK_ID) index = memberOrdinal++;
			if (item.linkId === linkId) found.push({ member: index, answers: item.answer ?? [] });
			walk(item.item, index);
			for (const answer of item.answer ?? []) walk(answer.item, index);
		}
	};
	walk(qr.item, null);
	return found;
}

/** The fixture's own answers (not the score items), keyed by linkId and member instance, for the round-trip check. */
function collectAnswers(qr, skipLinkIds) {
	const found = new Map();
	const walk = (items, memberIndex) => {
		let memberOrdinal = 0;
		for (const item of items ?? []) {
			let index = memberIndex;
			if (item.linkId === MEMBER_GROUP_LINK_ID) index = memberOrdinal++;
			if (!skipLinkIds.has(item.linkId) && (item.answer ?? []).length > 0) {
				found.set(`${item.linkId}${index === null ? '' : `[${index}]`}`, item.answer.map(answerKey).join(' '));
			}
			walk(item.item, index);
			for (const answer of item.answer ?? []) walk(answer.item, index);
		}
	};
	walk(qr.item, null);
	return found;
}

function answerKey(answer) {
	if (answer.valueCoding) return `${answer.valueCoding.system ?? ''}|${answer.valueCoding.code ?? ''}`;
	if (answer.valueReference) return `ref:${answer.valueReference.reference ?? JSON.stringify(answer.valueReference)}`;
	for (const key of ['valueDecimal', 'valueInteger']) if (key in answer) return String(Number(answer[key]));
	const key = Object.keys(answer).find((k) => k.startsWith('value'));
	return key ? `${key}:${JSON.stringify(answer[key])}` : JSON.stringify(answer);
}

/** Answers of the fixture that LHC-Forms did not keep (or changed) in the QR it produced. Reported, not failed. */
function roundTripWarnings(testCase, fixtureQr, lhcQr) {
	const scoreLinkIds = new Set(testCase.expectations.map((e) => e.linkId));
	const given = collectAnswers(fixtureQr, scoreLinkIds);
	const produced = collectAnswers(lhcQr, scoreLinkIds);
	const lost = [];
	for (const [key, value] of given) {
		if (!produced.has(key)) lost.push(`${key} (${value}) dropped`);
		else if (produced.get(key) !== value) lost.push(`${key} changed from ${value} to ${produced.get(key)}`);
	}
	return lost.length === 0 ? [] : [`${testCase.questionnaireId}/${testCase.fixture}: LHC-Forms QR lost fixture answers: ${lost.join(', ')}`];
}

function answerNumber(answer) {
	if (!answer) return null;
	for (const key of ['valueDecimal', 'valueInteger']) if (key in answer) return answer[key];
	if (answer.valueQuantity && 'value' in answer.valueQuantity) return answer.valueQuantity.value;
	if (answer.valueCoding) return answer.valueCoding.code;
	if ('valueString' in answer) return answer.valueString;
	return JSON.stringify(answer);
}

/**
 * Numeric decimal equality: "36.0" equals 36, but 35.99999999999999 does not equal 36 — the scores are meant to be
 * exact decimals, so binary floating-point noise in a computed score is a finding, not something to tolerate.
 */
function sameDecimal(actual, expected) {
	if (actual === null || expected === null) return actual === expected;
	const a = Number(actual);
	const e = Number(expected);
	return Number.isFinite(a) && Number.isFinite(e) && a === e;
}

function evaluate(testCase, result) {
	const checks = [];
	for (const exp of testCase.expectations) {
		const check = {
			questionnaire: testCase.questionnaireId,
			fixture: testCase.fixture,
			linkId: exp.linkId,
			member: exp.member,
			expected: exp.expected === null ? null : Number(exp.expected),
		};
		const inQr = collectFromQr(result.qr, exp.linkId).filter((f) => f.member === exp.member);
		const inModel = result.modelValues.filter((m) => m.linkId === exp.linkId && m.member === exp.member);
		const qrAnswers = inQr.flatMap((f) => f.answers);
		const qrValue = qrAnswers.length === 0 ? null : answerNumber(qrAnswers[0]);
		const modelValue = inModel.length === 1 ? inModel[0].value : null;
		check.qr = qrValue === null ? null : Number(qrValue);
		check.formModel = modelValue === null ? null : Number(modelValue);
		let source = 'qr';
		let actual = qrValue;
		const problems = [];
		if (inModel.length !== 1) problems.push(`score item found ${inModel.length} times in the LHC-Forms form model`);
		if (inQr.length > 1 || qrAnswers.length > 1) problems.push(`QR holds ${inQr.length} items / ${qrAnswers.length} answers for it`);
		if (qrValue === null && modelValue !== null) {
			const m = inModel[0];
			if (m.parentIsQuestion && !m.parentHasValue) {
				// R4 nests a question's children under answer.item: with no answer on the parent there is no place
				// for them, so LHC-Forms (since 35.0.0, FHIR-32665) leaves them out of the QR. The live value is in the
				// form model, which is what is checked here.
				source = 'form-model';
				actual = modelValue;
				check.note = `not in the QR: parent '${m.parentLinkId}' has no answer, so R4 has no answer.item to carry it`;
			} else {
				problems.push('LHC-Forms shows a value that is missing from its QR');
			}
		} else if (qrValue !== null && modelValue !== null && !sameDecimal(qrValue, modelValue)) {
			problems.push(`QR value ${qrValue} differs from form model value ${modelValue}`);
		}
		check.source = source;
		check.actual = actual === null ? null : Number(actual);
		if (!sameDecimal(actual, exp.expected)) {
			problems.push(exp.expected === null ? `expected no score, LHC-Forms computed ${actual}`
				: actual === null ? `expected ${exp.expected}, LHC-Forms computed no score` : `expected ${exp.expected}, LHC-Forms computed ${actual}`);
		}
		check.ok = problems.length === 0;
		if (!check.ok) check.problems = problems;
		checks.push(check);
	}
	return checks;
}

// ---------------------------------------------------------------- visual-analogue rendering

function extensionValue(element, url) {
	const found = (element.extension ?? []).find((e) => e.url === url);
	if (!found) return undefined;
	const key = Object.keys(found).find((k) => k.startsWith('value'));
	return key ? found[key] : undefined;
}

function itemControlCode(item) {
	const concept = extensionValue(item, ITEM_CONTROL);
	return concept ? (concept.coding ?? []).map((c) => c.code).find(Boolean) ?? null : null;
}

function englishText(element) {
	const translation = (element._text?.extension ?? []).find((e) => e.url === TRANSLATION);
	return translation ? (translation.extension ?? []).find((e) => e.url === 'content')?.valueString ?? null : null;
}

/** The items of a Questionnaire that ask for a slider (SDC itemControl `slider`), at any depth. */
function sliderItems(questionnaire) {
	const found = [];
	const walk = (items) => {
		for (const item of items ?? []) {
			if (itemControlCode(item) === 'slider') found.push(item);
			walk(item.item);
		}
	};
	walk(questionnaire.item);
	return found;
}

/** One check per slider item: the served hints, then what LHC-Forms drew for it. */
function renderingChecks(questionnaireId, questionnaire, drawn, lformsVersion) {
	const expectedWidget = LFORMS_WITHOUT_SLIDER.has(lformsVersion) ? 'text box' : 'slider';
	return sliderItems(questionnaire).map((item) => {
		const problems = [];
		if (item.type !== 'decimal' && item.type !== 'integer') problems.push(`type ${item.type} cannot be a slider`);
		if (extensionValue(item, 'http://hl7.org/fhir/StructureDefinition/minValue') !== 0) problems.push('minValue is not 0');
		if (extensionValue(item, 'http://hl7.org/fhir/StructureDefinition/maxValue') !== 10) problems.push('maxValue is not 10');
		const entryFormat = extensionValue(item, ENTRY_FORMAT);
		if (!entryFormat) problems.push('no entryFormat');
		const poles = {};
		for (const end of ['lower', 'upper']) {
			const label = (item.item ?? []).find((child) => child.type === 'display' && itemControlCode(child) === end);
			if (!label || !label.text) problems.push(`no ${end} pole label`);
			else if (!englishText(label)) problems.push(`${end} pole label has no English translation`);
			poles[end] = label ? label.text ?? '' : '';
		}
		const view = drawn.find((v) => v.linkId === item.linkId);
		let widget = null;
		if (!view || !view.found) problems.push('LHC-Forms did not render the item');
		else if (view.inputs.length !== 1) problems.push(`LHC-Forms rendered ${view.inputs.length} inputs for it`);
		else {
			widget = view.sliders > 0 ? 'slider' : `${view.inputs[0].type} box`;
			if (widget !== expectedWidget) {
				problems.push(`LHC-Forms ${lformsVersion} drew a ${widget}, expected a ${expectedWidget}`
					+ (expectedWidget === 'slider' ? '' : ' (update LFORMS_WITHOUT_SLIDER if this version now has a slider)'));
			}
			if (widget !== 'slider') {
				// Without a line on screen the poles must still be readable: in the entry hint and the help text.
				if (view.inputs[0].placeholder !== entryFormat) problems.push(`placeholder '${view.inputs[0].placeholder}' is not the entryFormat`);
				for (const end of ['lower', 'upper']) {
					const label = poles[end].toLowerCase();
					if (!label || !(view.help ?? '').toLowerCase().includes(label)) problems.push(`help text does not name the ${end} pole '${poles[end]}'`);
					if (!label || !(entryFormat ?? '').toLowerCase().includes(label)) problems.push(`entryFormat does not name the ${end} pole '${poles[end]}'`);
				}
				if (!view.helpButton) problems.push('no help button to show the poles');
			}
		}
		const check = { kind: 'vas-rendering', questionnaire: questionnaireId, linkId: item.linkId, lformsVersion, widget, ok: problems.length === 0 };
		if (problems.length > 0) check.problems = problems;
		return check;
	});
}

// ---------------------------------------------------------------- main

function withTimeout(promise, ms, what) {
	let timer;
	return Promise.race([
		promise,
		new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); }),
	]).finally(() => clearTimeout(timer));
}

function emit(object) {
	process.stdout.write(JSON.stringify(object) + '\n');
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const started = performance.now();
	const prerequisites = [
		['LHC-Forms build', LFORMS_DIST, `run npm ci in ${HERE}`],
		['harness page', HARNESS_PAGE, 'restore it from version control'],
		['Chromium', opts.chromium, 'install the Debian package chromium, or pass --chromium'],
	];
	for (const [what, path, hint] of prerequisites) {
		if (!existsSync(path)) throw new SetupError(`${what} not found at ${path}: ${hint}`);
	}
	const { chromium } = await import('playwright-core');
	const source = /^https?:\/\//i.test(opts.questionnaires)
		? serverSource(opts.questionnaires, opts.fixtureTimeoutMs)
		: directorySource(opts.questionnaires);
	const { cases, rowCount, unlisted } = loadFixtures(opts.fixtures, opts.only);
	if (cases.length === 0) throw new SetupError(`no fixtures found in ${resolve(opts.fixtures)}`);

	const deadline = started + opts.totalTimeoutMs;
	const server = await startStaticServer();
	const origin = `http://127.0.0.1:${server.address().port}`;
	const userDataDir = mkdtempSync(join(tmpdir(), 'lhc-forms-check-'));
	let context = null;
	const failures = [];
	const warnings = [...unlisted];
	let checked = 0;
	let fromFormModel = 0;
	let vasChecked = 0;
	const vasWidgets = {};
	const renderedQuestionnaires = new Set();
	const lformsVersion = JSON.parse(readFileSync(join(HERE, 'node_modules', 'lforms', 'package.json'), 'utf8')).version;
	const pages = [];
	const perQuestionnaire = {};
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: opts.chromium,
			headless: true,
			args: CHROMIUM_ARGS,
			timeout: 60_000,
		});
		for (const testCase of cases) {
			const tally = perQuestionnaire[testCase.questionnaireId] ??= { checked: 0, failed: 0 };
			const remaining = deadline - performance.now();
			let checks;
			try {
				if (remaining <= 0) throw new Error(`whole run exceeded --total-timeout-ms ${opts.totalTimeoutMs}`);
				const checkRendering = !renderedQuestionnaires.has(testCase.questionnaireId);
				renderedQuestionnaires.add(testCase.questionnaireId);
				const outcome = await withTimeout(runCase(context, origin, source, testCase, warnings, pages, checkRendering, lformsVersion),
					Math.min(opts.fixtureTimeoutMs, remaining), `fixture ${testCase.questionnaireId}/${testCase.fixture}`);
				checks = outcome.checks;
				for (const check of outcome.rendering) {
					emit(check);
					vasChecked++;
					if (check.widget) (vasWidgets[check.questionnaire] ??= new Set()).add(check.widget);
					if (!check.ok) failures.push(`${check.questionnaire} ${check.linkId} rendering: ${check.problems.join('; ')}`);
				}
			} catch (error) {
				for (const page of pages.splice(0)) await page.close().catch(() => {});
				// The fixture could not be filled: each of its expected rows counts as a failed check.
				checks = testCase.expectations.map((exp) => ({
					questionnaire: testCase.questionnaireId, fixture: testCase.fixture, linkId: exp.linkId, member: exp.member,
					expected: exp.expected === null ? null : Number(exp.expected), ok: false, problems: [String(error.message ?? error)],
				}));
			}
			for (const check of checks) {
				emit(check);
				checked++;
				tally.checked++;
				if (check.source === 'form-model') fromFormModel++;
				if (!check.ok) {
					tally.failed++;
					failures.push(`${check.questionnaire}/${check.fixture} ${check.linkId}${check.member === null ? '' : `[${check.member}]`}: ${check.problems.join('; ')}`);
				}
			}
		}
	} finally {
		if (context) await context.close().catch(() => {});
		await new Promise((r) => server.close(r));
		rmSync(userDataDir, { recursive: true, force: true });
	}
	emit({
		checked,
		failed: failures.length,
		failures,
		expectedRows: rowCount,
		questionnaires: perQuestionnaire,
		fromFormModel,
		vasChecked,
		vasWidgets: Object.fromEntries(Object.entries(vasWidgets).map(([id, widgets]) => [id, [...widgets].join(', ')])),
		lformsVersion,
		warnings,
		source: source.describe,
		seconds: Math.round((performance.now() - started) / 100) / 10,
	});
	return failures.length === 0 && checked > 0 ? 0 : 1;
}

/**
 * The harness page with LHC-Forms loaded, shared by the cases: each case replaces the form in its container, so
 * loading the library once per run instead of once per fixture is what keeps the run short. A case that fails
 * closes it (main closes every page in `pages`), and the next case loads a fresh one.
 */
let harness = null;

async function harnessPage(context, origin, pages) {
	if (harness && !harness.page.isClosed()) return harness;
	const page = await context.newPage();
	pages.push(page);
	const opened = { page, consoleErrors: [] };
	page.on('console', (msg) => { if (msg.type() === 'error') opened.consoleErrors.push(msg.text()); });
	page.on('pageerror', (err) => opened.consoleErrors.push(String(err.message ?? err)));
	await page.goto(`${origin}/harness.html`, { waitUntil: 'load' });
	await page.waitForFunction(() => window.LForms && LForms.Util && LForms.FHIR && LForms.FHIR.R4, null, { timeout: 20_000 });
	harness = opened;
	return opened;
}

async function runCase(context, origin, source, testCase, warnings, pages, checkRendering, lformsVersion) {
	const response = JSON.parse(readFileSync(testCase.qrPath, 'utf8'));
	if (!response.questionnaire) throw new Error(`${testCase.qrPath} has no questionnaire canonical`);
	const questionnaire = await source.get(response.questionnaire);
	const { page, consoleErrors } = await harnessPage(context, origin, pages);
	consoleErrors.length = 0;
	const scoreLinkIds = [...new Set(testCase.expectations.map((e) => e.linkId))];
	const result = await page.evaluate(fillInPage, {
		questionnaire,
		response,
		scoreLinkIds,
		memberGroupLinkId: MEMBER_GROUP_LINK_ID,
		settleMs: 300,
		maxSettleMs: 5_000,
	});
	const checks = evaluate(testCase, result);
	warnings.push(...roundTripWarnings(testCase, response, result.qr));
	const pageProblems = [...new Set([...result.pageErrors, ...consoleErrors])];
	if (pageProblems.length > 0) for (const check of checks) check.pageErrors = pageProblems;
	const vasLinkIds = checkRendering ? sliderItems(questionnaire).map((item) => item.linkId) : [];
	const drawn = vasLinkIds.length > 0 ? await page.evaluate(drawVisualAnalogueItems, { questionnaire, vasLinkIds }) : [];
	const rendering = checkRendering ? renderingChecks(testCase.questionnaireId, questionnaire, drawn, lformsVersion) : [];
	return { checks, rendering };
}

class SetupError extends Error {}

main().then((code) => process.exit(code), (error) => {
	process.stderr.write(`lhc-forms-check: ${error instanceof SetupError ? error.message : `error: ${error.stack ?? error}`}\n`);
	emit({ checked: 0, failed: 0, failures: [], error: String(error.message ?? error) });
	process.exit(2);
});
