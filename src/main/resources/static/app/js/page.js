// What every page does first: the interface language with its switch, and the connection to the FHIR server.
import { applyTexts, language, setLanguage, t } from './i18n.js';
import { connect, LaunchError } from './launch.js';

/** A readable message for an error while loading: a launch problem by its own text, anything else as a load failure. */
export function errorMessage(e) {
  return e instanceof LaunchError ? t(e.key, { detail: e.detail }) : t('loadFailed', { detail: e.message });
}

/**
 * Applies the interface language, lets #language switch it (then calls onLanguageChange) and connects. Resolves to
 * the session, or to null after showing why no patient can be shown, or while the browser is sent to log in.
 */
export async function openPage({ onLanguageChange, showError }) {
  setLanguage(language());
  applyTexts();
  document.querySelector('#language').addEventListener('click', () => {
    setLanguage(language() === 'nl' ? 'en' : 'nl');
    applyTexts();
    onLanguageChange();
  });
  try {
    return await connect();
  } catch (e) {
    showError(errorMessage(e));
    return null;
  }
}
