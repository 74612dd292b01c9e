import { render } from 'preact';
import { browser } from 'wxt/browser';
import { OptionsForm, type OptionsService } from '@/components/OptionsForm/OptionsForm';
import '@/components/OptionsForm/OptionsForm.css';
import { t, uiLanguage } from '@/lib/i18n';
import { askAny as ask } from '@/lib/page-messaging';
import { watchPolicy } from '@/lib/policy';
import { originPatterns } from '@/lib/settings';

// Wiring only: the form talks to the background through the protocol, and asks the browser
// for the server's host permission from the Save click.
const service: OptionsService = {
  load: () => ask('settings.get', {}),
  // Called first thing in the click (Firefox only prompts from a user-input handler); an
  // already granted origin resolves at once without a prompt.
  ensurePermission: (settings) => browser.permissions.request({ origins: originPatterns(settings) }),
  save: (settings, token) => ask('settings.save', { settings, token }),
  test: () => ask('connection.test', {}),
  watchPolicy,
};

document.documentElement.lang = uiLanguage();
document.title = t('options_title');
const root = document.getElementById('root');
if (root) {
  render(
    <main class="ig-page">
      <h1>{t('options_title')}</h1>
      <p class="ig-page__lead">{t('options_lead')}</p>
      <p>
        <button type="button" class="ig-button" data-testid="ig-options-open-panel" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/popup.html?tab') })}>
          {t('options_open_panel')}
        </button>
      </p>
      <OptionsForm service={service} />
    </main>,
    root,
  );
}
