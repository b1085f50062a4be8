import { createI18n } from 'vue-i18n';
import en from './en';
import zhCN from './zh-CN';

export const LOCALES = [
  { code: 'zh-CN', label: '简体中文' },
  { code: 'en', label: 'English' },
] as const;
export type LocaleCode = (typeof LOCALES)[number]['code'];
const STORAGE_KEY = 'herald.console.locale';

/** The remembered choice, else the browser's language (any Chinese → zh-CN), else English. */
function initialLocale(): LocaleCode {
  const remembered = localStorage.getItem(STORAGE_KEY);
  if (remembered === 'en' || remembered === 'zh-CN') return remembered;
  return (navigator.languages[0] ?? navigator.language ?? '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

const locale = initialLocale();
export const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { en, 'zh-CN': zhCN } });
// Screen readers and the browser's own texts follow the page's language.
document.documentElement.lang = locale;

export function setLocale(locale: LocaleCode): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
