// Drives the clinician app (/app/) and its session form (/app/form/) in headless Chromium and reports what a user
// sees as one JSON object on stdout; the Java integration tests (ClinicianAppIT, SmartAppLaunchIT) make the
// assertions. Usage: node app-check.mjs --scenario dashboard|smart --plan plan.json
import { readFileSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const plan = JSON.parse(readFileSync(args.plan, 'utf8'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = 30_000;

const report = { consoleErrors: [], expectedErrors: [], steps: [] };
/** Set while the test provokes a refusal: the browser logs that 422 response as an error, which is expected. */
let expectRefusal = false;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'nl-NL' });
  context.setDefaultTimeout(TIMEOUT_MS);
  context.on('page', watch);
  const page = await context.newPage();
  if (args.scenario === 'smart') await smart(page);
  else await dashboardScenario(page);
} catch (e) {
  report.error = `${e.message}\n${e.stack || ''}`.slice(0, 4000);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));

function watch(page) {
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const expected = expectRefusal && m.text().includes('status of 422');
    (expected ? report.expectedErrors : report.consoleErrors).push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => report.consoleErrors.push(`${page.url()}: ${e.message}`));
}

async function openDashboard(page, query) {
  await page.goto(`${plan.base}/app/${query}`);
  await page.waitForSelector('#main[aria-busy="false"]');
}

/** What the dashboard shows: per chart its band and table rows, the alerts and the split indices. */
async function readDashboard(page) {
  return page.evaluate(() => ({
    patient: document.querySelector('#patient').textContent,
    error: document.querySelector('#error').hidden ? null : document.querySelector('#error').textContent,
    charts: [...document.querySelectorAll('.chart-block')].map((block) => {
      const svg = block.querySelector('svg');
      const band = block.querySelector('rect.cutoff-band');
      return {
        id: block.dataset.chart,
        title: block.querySelector('h4, summary').textContent,
        svgRole: svg?.getAttribute('role'),
        svgLabel: svg?.querySelector('title')?.textContent || '',
        band: band ? { low: Number(band.dataset.low), high: Number(band.dataset.high),
          height: Number(band.getAttribute('height')) } : null,
        markers: block.querySelectorAll('.rc-marker').length,
        series: [...block.querySelectorAll('g.series')].map((g) => g.dataset.series),
        caption: block.querySelector('caption')?.textContent || '',
        rows: [...block.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
      };
    }),
    alerts: [...document.querySelectorAll('.alert')].map((li) => ({
      task: li.dataset.task, flag: li.dataset.flag, text: li.querySelector('.alert-text').textContent,
      meta: li.querySelector('.alert-meta').textContent })),
    splits: [...document.querySelectorAll('.splits tbody tr')].map((tr) => ({ code: tr.dataset.code,
      cells: [...tr.children].map((c) => c.textContent) })),
  }));
}

async function screenshot(page, name) {
  if (!plan.screenshots) return;
  mkdirSync(plan.screenshots, { recursive: true });
  await page.screenshot({ path: `${plan.screenshots}/${name}.png`, fullPage: false });
}

async function dashboardScenario(page) {
  const query = `?patient=${encodeURIComponent(plan.patient)}`;
  await openDashboard(page, query);
  report.before = await readDashboard(page);
  report.desktop = await layout(page);
  report.keyboard = await keyboardReach(page);
  await page.evaluate(() => document.querySelector('[data-instrument="srs"]').scrollIntoView({ block: 'start' }));
  await screenshot(page, 'dashboard');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'dashboard-alerts');

  await completeTask(page, plan.completeTask, plan.note);
  await page.locator(`.alert[data-flag="${plan.deactivateFlag}"] button.deactivate`).click();
  await page.waitForSelector(`.alert[data-flag="${plan.deactivateFlag}"]`, { state: 'detached' });
  report.steps.push('flag deactivated');
  report.afterActions = await readDashboard(page);

  await page.click('#language');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  report.english = await readDashboard(page);
  await page.click('#language');

  report.form = await fillSrs(page);
  await openDashboard(page, query);
  report.after = await readDashboard(page);

  report.refusal = await refusedSofta(page);
  report.tablet = await tablet();
}

/**
 * The dashboard and the session form on a portrait tablet with a touch screen: nothing wider than the screen, text
 * contrast, touch target sizes, and the SRS lines marked by tapping a quarter of the way along (the form is not sent).
 */
async function tablet() {
  const context = await browser.newContext({
    viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'nl-NL',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  context.on('page', watch);
  const page = await context.newPage();
  const result = {};
  await openDashboard(page, `?patient=${encodeURIComponent(plan.patient)}`);
  result.dashboard = await layout(page);
  await page.goto(`${plan.base}/app/form/?patient=${encodeURIComponent(plan.patient)}`
    + `&questionnaire=${encodeURIComponent(plan.srsCanonical)}`);
  await page.waitForSelector('#questionnaire-form:not([hidden])');
  result.form = await layout(page);
  const sliders = page.getByRole('slider');
  result.tapped = [];
  for (let i = 0; i < await sliders.count(); i++) {
    await sliders.nth(i).scrollIntoViewIfNeeded();
    const box = await sliders.nth(i).boundingBox();
    await page.touchscreen.tap(box.x + box.width * 0.25, box.y + box.height / 2);
    result.tapped.push(Number(await sliders.nth(i).getAttribute('aria-valuenow')));
  }
  await screenshot(page, 'session-form-tablet');
  await context.close();
  return result;
}

/** How far the page is wider than the screen, text below the WCAG contrast minimum, and the smallest touch target. */
async function layout(page) {
  return page.evaluate(() => {
    const parse = (color) => {
      const parts = (color.match(/rgba?\(([^)]+)\)/)?.[1] || '').split(/[\s,/]+/).filter(Boolean).map(Number);
      return parts.length < 3 ? null : { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
    };
    const luminance = ({ r, g, b }) => {
      const linear = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const background = (element) => {
      for (let e = element; e; e = e.parentElement) {
        const color = parse(getComputedStyle(e).backgroundColor);
        if (color && color.a > 0) return color;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const lowContrast = [];
    const checked = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!node.textContent.trim() || checked.has(element)) continue;
      checked.add(element);
      const style = getComputedStyle(element);
      if (element.closest('[hidden]') || style.visibility === 'hidden' || !element.getClientRects().length) continue;
      const foreground = parse(element.closest('svg') ? style.fill : style.color);
      if (!foreground) continue;
      const [light, dark] = [luminance(foreground), luminance(background(element))].sort((x, y) => y - x);
      const ratio = (light + 0.05) / (dark + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
      if (ratio < (large ? 3 : 4.5)) {
        lowContrast.push(`${element.tagName.toLowerCase()} "${node.textContent.trim().slice(0, 40)}": ${ratio.toFixed(2)}`);
      }
    }
    const targets = [...document.querySelectorAll('button, a[href], input, select, textarea, [role="slider"]')]
      .filter((element) => !element.closest('[hidden]') && element.getClientRects().length)
      .map((element) => ({ element, rect: element.getBoundingClientRect() }))
      // off-screen until focused (the skip link): not a target while hidden
      .filter(({ rect }) => rect.right > 0 && rect.left < window.innerWidth)
      .map(({ element, rect }) => ({
        name: element.id || element.className || element.tagName, size: Math.min(rect.width, rect.height),
      }));
    const smallest = targets.reduce((min, target) => (target.size < min.size ? target : min), { size: Infinity });
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      lowContrast,
      smallestTarget: smallest,
    };
  });
}

/** Whether Tab reaches the alert actions and the scrollable tables (keyboard use, WCAG 2.1.1). */
async function keyboardReach(page) {
  const reached = new Set();
  await page.locator('body').focus();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement.className || document.activeElement.tagName));
  }
  return [...reached];
}

async function completeTask(page, taskId, note) {
  const alert = page.locator(`.alert[data-task="${taskId}"]`);
  await alert.locator('button.complete').click();
  await alert.locator('textarea').fill(note);
  await alert.locator('button[type=submit]').click();
  await page.waitForSelector(`.alert[data-task="${taskId}"]`, { state: 'detached' });
  report.steps.push('task completed');
}

/** Marks the SRS lines with the keyboard (End, then Page Down and arrow keys) and submits. */
async function fillSrs(page) {
  await page.goto(`${plan.base}/app/form/?patient=${encodeURIComponent(plan.patient)}`
    + `&questionnaire=${encodeURIComponent(plan.srsCanonical)}`);
  await page.waitForSelector('#questionnaire-form:not([hidden])');
  const sliders = page.getByRole('slider');
  const result = { sliders: await sliders.count(), marks: [] };
  for (const [i, value] of plan.srsValues.entries()) {
    await sliders.nth(i).focus();
    await page.keyboard.press('End');
    const tenths = Math.round((10 - value) * 10);
    for (let k = 0; k < Math.floor(tenths / 10); k++) await page.keyboard.press('PageDown');
    for (let k = 0; k < tenths % 10; k++) await page.keyboard.press('ArrowLeft');
    result.marks.push(await sliders.nth(i).getAttribute('aria-valuenow'));
  }
  await screenshot(page, 'session-form');
  await page.click('#submit');
  await page.waitForSelector('#result:not([hidden]) .result-score');
  result.score = await page.locator('.result-score').first().textContent();
  result.resultText = await page.locator('#result').innerText();
  await page.waitForFunction(() => {
    const signals = document.querySelector('#signals');
    return signals.querySelector('h3') && !signals.textContent.includes('…');
  }, null, { timeout: 15_000 });
  result.signals = await page.locator('#signals').innerText();
  await screenshot(page, 'session-result');
  return result;
}

/**
 * Fills in the SOFTA-o for the whole family, then a family member is removed on the server before submitting: the
 * refusal must be readable and keep every answer; without that member the second submission is stored.
 */
async function refusedSofta(page) {
  await page.goto(`${plan.base}/app/form/?patient=${encodeURIComponent(plan.patient)}`
    + `&questionnaire=${encodeURIComponent(plan.softaCanonical)}&author=${encodeURIComponent(plan.observer)}`);
  await page.waitForSelector('#questionnaire-form:not([hidden])');
  const groups = page.locator('.choices');
  const count = await groups.count();
  for (let i = 0; i < count; i++) await groups.nth(i).locator('label').nth(8 + (i % 4)).click();
  const removed = await fetch(`${plan.base}/fhir/${plan.vanishingMember}`, { method: 'DELETE' });
  expectRefusal = true;
  await page.click('#submit');
  await page.waitForSelector('#problems:not([hidden])');
  expectRefusal = false;
  const result = {
    deleteStatus: removed.status,
    problems: await page.locator('#problems').innerText(),
    checkedAfterRefusal: await page.locator('.choices input:checked').count(),
    radioGroups: count,
  };
  await screenshot(page, 'session-refused');
  await page.reload();
  await page.waitForSelector('#questionnaire-form:not([hidden])');
  result.checkedAfterReload = await page.locator('.choices input:checked').count();
  const vanished = page.locator('.member-group').filter({ has: page.locator(`option[value="${plan.vanishingMember}"]:checked`) });
  await vanished.locator('button.remove').click();
  await page.click('#submit');
  await page.waitForSelector('#result:not([hidden])');
  result.storedAfterFix = true;
  return result;
}

/**
 * A standalone SMART launch (the app is sent to the authorization server and comes back with a patient-scoped token),
 * then an EHR launch, and an EHR launch for another FHIR server, which the app refuses.
 */
async function smart(page) {
  await page.goto(`${plan.base}/app/`);
  await page.waitForSelector('#main[aria-busy="false"]');
  report.launched = await readDashboard(page);
  report.urlAfterLaunch = page.url();
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('alliance-app-token')));
  report.tokenPatient = token?.patient;
  await openDashboard(page, `?patient=${encodeURIComponent(plan.otherPatient)}`);
  report.otherPatient = await readDashboard(page);
  const direct = await fetch(`${plan.base}/fhir/Patient/${encodeURIComponent(plan.otherPatient)}/$alliance-summary`,
    { headers: { Authorization: `Bearer ${token?.accessToken}`, Accept: 'application/fhir+json' } });
  report.otherPatientStatus = direct.status;
  const own = await fetch(`${plan.base}/fhir/Observation?subject=Patient/${encodeURIComponent(plan.otherPatient)}`,
    { headers: { Authorization: `Bearer ${token?.accessToken}`, Accept: 'application/fhir+json' } });
  report.otherPatientSearchStatus = own.status;
  await page.goto(`${plan.base}/app/form/?questionnaire=${encodeURIComponent(plan.srsCanonical)}`);
  await page.waitForSelector('#questionnaire-form:not([hidden])');
  report.formSliders = await page.getByRole('slider').count();
  // an EHR launch: the EHR opens the app with launch and iss, the app asks for that launch's context
  await page.evaluate(() => sessionStorage.clear());
  await openDashboard(page, `?launch=ehr-launch-1&iss=${encodeURIComponent(`${plan.base}/fhir`)}`);
  report.ehrLaunched = await readDashboard(page);
  report.urlAfterEhrLaunch = page.url();
  // a launch naming another FHIR server is refused before anything is sent to the authorization server
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(`${plan.base}/app/?launch=ehr-launch-2&iss=${encodeURIComponent('https://ehr.example.org/fhir')}`);
  await page.waitForSelector('#error:not([hidden])');
  report.foreignIssuerError = await page.textContent('#error');
}
