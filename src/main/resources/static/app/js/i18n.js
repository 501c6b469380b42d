// Interface text in Dutch (default) and English, Dutch number and date formats, and FHIR translation extensions.

const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';
const STORAGE_KEY = 'alliance-app-language';

const TEXT = {
  nl: {
    appTitle: 'Alliantie-dashboard', formTitle: 'Sessieformulier', language: 'English', languageLabel: 'Switch to English',
    loading: 'Laden…', refresh: 'Vernieuwen', patient: 'Cliënt', born: 'geboren', newForm: 'Nieuwe vragenlijst invullen',
    alerts: 'Open signalen', noAlerts: 'Geen open signalen.', task: 'Taak', flag: 'Vlag', reason: 'Aanleiding',
    date: 'Datum', complete: 'Afronden', note: 'Notitie (optioneel)', confirmComplete: 'Taak afronden',
    cancel: 'Annuleren', deactivate: 'Vlag deactiveren', flagActive: 'vlag actief in het EPD', completed: 'Afgerond', deactivated: 'Gedeactiveerd',
    trends: 'Verloop per instrument', table: 'Tabel', chart: 'Grafiek', respondent: 'Respondent', score: 'Score',
    interpretation: 'Interpretatie', change: 'Verandering', band: 'Grenswaarde', bandText: 'gearceerd: {low} tot {high}',
    noBand: 'geen gepubliceerde grenswaarde', components: 'Subschalen en items', dimensions: 'Dimensies per gezinslid',
    splits: 'Gesplitste alliantie (beschrijvend, niet genormeerd)', noSplits: 'Nog geen gesplitste-alliantie-indices.',
    index: 'Index', value: 'Waarde', client: 'cliënt', parent: 'ouder', therapist: 'hulpverlener', observer: 'observator',
    member: 'gezinslid', noData: 'Nog geen scores voor deze cliënt.', marker: 'Markering',
    chartLabel: '{title}: verloop van {count} metingen; {band}. De tabel bevat dezelfde getallen.',
    noPatient: 'Geen cliënt gekozen: open de app met ?patient=<id> of start hem vanuit het EPD.',
    otherPatient: 'Deze sessie geldt voor een andere cliënt; start de app opnieuw vanuit het EPD.',
    foreignIssuer: 'De app is gestart voor een andere FHIR-server ({detail}) en weigert die.',
    discovery: 'De SMART-configuratie van de server is niet bruikbaar ({detail}).',
    badState: 'De aanmelding is verlopen of ongeldig; start de app opnieuw.', denied: 'Aanmelden geweigerd: {detail}',
    token: 'Geen toegangstoken ontvangen: {detail}', noPatientContext: 'Het toegangstoken noemt geen cliënt.',
    loadFailed: 'Laden mislukt: {detail}', saveFailed: 'Opslaan mislukt: {detail}',
    'split-family-therapist-gap': 'Verschil gezin − hulpverlener',
    'split-family-range': 'Binnen het gezin: spreiding (max − min)',
    'split-family-sd': 'Binnen het gezin: standaarddeviatie',
    'split-family-opposite-signs': 'Binnen het gezin: paren aan weerszijden van 0',
    'split-family-respondents': 'Aantal gezinsleden', 'split-respondents': 'Aantal respondenten',
    chooseQuestionnaire: 'Kies een vragenlijst', filledBy: 'Ingevuld door', submit: 'Versturen',
    required: 'verplicht', unanswered: 'Nog niet beantwoord: {items}', notMarked: 'nog niet gemarkeerd',
    vasHelp: 'Tik of klik op de lijn; met de pijltjestoetsen 0,1 verder, Page Up/Down 1.',
    vasLow: 'helemaal niet', vasHigh: 'helemaal wel', refused: 'De server heeft de vragenlijst niet opgeslagen:',
    keptAnswers: 'Uw antwoorden zijn bewaard; pas ze aan en verstuur opnieuw.', saving: 'Versturen…',
    resultTitle: 'Uw resultaat', resultIntro: 'Bespreek deze uitkomst samen met uw hulpverlener.',
    previous: 'Vorige keer', signalsPending: 'Signalen voor de hulpverlener worden verwerkt…',
    signals: 'Signalen voor de hulpverlener', noSignals: 'Geen nieuwe signalen.', backToDashboard: 'Naar het dashboard',
    anotherForm: 'Nog een vragenlijst', addMember: 'Gezinslid toevoegen', removeMember: 'Verwijderen',
    memberGroup: 'Gezinslid {n}', choose: '— kies —', noQuestionnaire: 'Vragenlijst niet gevonden: {detail}',
  },
  en: {
    appTitle: 'Alliance dashboard', formTitle: 'Session form', language: 'Nederlands', languageLabel: 'Schakel naar Nederlands',
    loading: 'Loading…', refresh: 'Refresh', patient: 'Client', born: 'born', newForm: 'Fill in a new questionnaire',
    alerts: 'Open alerts', noAlerts: 'No open alerts.', task: 'Task', flag: 'Flag', reason: 'Reason',
    date: 'Date', complete: 'Complete', note: 'Note (optional)', confirmComplete: 'Complete task',
    cancel: 'Cancel', deactivate: 'Deactivate flag', flagActive: 'flag active in the EHR', completed: 'Completed', deactivated: 'Deactivated',
    trends: 'Trend per instrument', table: 'Table', chart: 'Chart', respondent: 'Respondent', score: 'Score',
    interpretation: 'Interpretation', change: 'Change', band: 'Cut-off', bandText: 'shaded: {low} to {high}',
    noBand: 'no published cut-off', components: 'Subscales and items', dimensions: 'Dimensions per family member',
    splits: 'Split alliance (descriptive, not normed)', noSplits: 'No split-alliance indices yet.',
    index: 'Index', value: 'Value', client: 'client', parent: 'parent', therapist: 'therapist', observer: 'observer',
    member: 'family member', noData: 'No scores for this client yet.', marker: 'Marker',
    chartLabel: '{title}: trend of {count} administrations; {band}. The table holds the same numbers.',
    noPatient: 'No client chosen: open the app with ?patient=<id> or launch it from the EHR.',
    otherPatient: 'This session is for another client; launch the app again from the EHR.',
    foreignIssuer: 'The app was launched for another FHIR server ({detail}) and refuses it.',
    discovery: 'The server\'s SMART configuration is not usable ({detail}).',
    badState: 'The sign-in expired or is invalid; launch the app again.', denied: 'Sign-in refused: {detail}',
    token: 'No access token received: {detail}', noPatientContext: 'The access token names no client.',
    loadFailed: 'Loading failed: {detail}', saveFailed: 'Saving failed: {detail}',
    'split-family-therapist-gap': 'Gap family − therapist',
    'split-family-range': 'Within the family: range (max − min)',
    'split-family-sd': 'Within the family: standard deviation',
    'split-family-opposite-signs': 'Within the family: pairs on opposite sides of 0',
    'split-family-respondents': 'Number of family members', 'split-respondents': 'Number of respondents',
    chooseQuestionnaire: 'Choose a questionnaire', filledBy: 'Filled in by', submit: 'Submit',
    required: 'required', unanswered: 'Not answered yet: {items}', notMarked: 'not marked yet',
    vasHelp: 'Tap or click the line; arrow keys move 0.1, Page Up/Down 1.',
    vasLow: 'not at all', vasHigh: 'completely', refused: 'The server did not store the questionnaire:',
    keptAnswers: 'Your answers are kept; correct them and submit again.', saving: 'Submitting…',
    resultTitle: 'Your result', resultIntro: 'Discuss this result with your therapist.',
    previous: 'Last time', signalsPending: 'Alerts for the therapist are being processed…',
    signals: 'Alerts for the therapist', noSignals: 'No new alerts.', backToDashboard: 'To the dashboard',
    anotherForm: 'Another questionnaire', addMember: 'Add family member', removeMember: 'Remove',
    memberGroup: 'Family member {n}', choose: '— choose —', noQuestionnaire: 'Questionnaire not found: {detail}',
  },
};

let current = readStoredLanguage();

function readStoredLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'nl';
  } catch {
    return 'nl';
  }
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = lang === 'en' ? 'en' : 'nl';
  try {
    localStorage.setItem(STORAGE_KEY, current);
  } catch {
    // storage may be unavailable in a sandboxed EHR frame; the choice then lasts for this page only
  }
  document.documentElement.lang = current;
}

/** The interface text for a key, with {name} placeholders filled in. */
export function t(key, vars = {}) {
  const text = TEXT[current][key] ?? TEXT.nl[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (vars[name] ?? m));
}

/** A number in the interface's format: 33,8 in Dutch, 33.8 in English; at most two decimals. */
export function formatNumber(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return new Intl.NumberFormat(current === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 2 }).format(value);
}

/** The calendar date of a FHIR dateTime as written (the respondent's own day): 16-10-2026, or 16/10/2026. */
export function formatDate(dateTime) {
  if (!dateTime) return '–';
  const [year, month, day] = dateTime.slice(0, 10).split('-');
  return current === 'en' ? `${day}/${month}/${year}` : `${day}-${month}-${year}`;
}

/** A primitive's English translation when the interface is English, else the (Dutch) value itself. */
export function translated(value, element) {
  if (current !== 'en' || !element) return value;
  for (const ext of element.extension || []) {
    if (ext.url !== TRANSLATION) continue;
    const lang = ext.extension?.find((e) => e.url === 'lang')?.valueCode;
    const content = ext.extension?.find((e) => e.url === 'content')?.valueString;
    if (lang === 'en' && content) return content;
  }
  return value;
}

/** Fills every element with a data-i18n attribute with its text, and aria-labels from data-i18n-label. */
export function applyTexts(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-label]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nLabel)));
  document.documentElement.lang = current;
}
