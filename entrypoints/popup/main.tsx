import { render } from 'preact';
import { browser } from 'wxt/browser';
import '@/components/Button/Button.css';
import '@/components/ConfirmDialog/ConfirmDialog.css';
import '@/components/Panel/Panel.css';
import '@/components/ContactList/ContactList.css';
import '@/components/StatusBadge/StatusBadge.css';
import '@/components/FindList/FindList.css';
import '@/components/JobProgress/JobProgress.css';
import '@/components/ImportPanel/ImportPanel.css';
import { Panel } from '@/components/Panel/Panel';
import { t, uiLanguage } from '@/lib/i18n';
import { askAny } from '@/lib/page-messaging';
import type { PanelService } from '@/lib/panel/service';

// Wiring only: the panel asks the background through the protocol; the browser opens tabs,
// the options page and downloads. `?tab` marks the panel opened in a full tab.
const inTab = new URLSearchParams(location.search).has('tab');

const service: PanelService = {
  ask: askAny,
  openOptions: () => void browser.runtime.openOptionsPage(),
  ...(inTab
    ? {}
    : {
        openInTab: () => {
          void browser.tabs.create({ url: browser.runtime.getURL('/popup.html?tab') }).then(() => window.close());
        },
      }),
  download(fileName, mime, text) {
    const url = URL.createObjectURL(new Blob([text], { type: mime }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
};

document.documentElement.lang = uiLanguage();
document.documentElement.classList.toggle('ig-in-tab', inTab);
document.title = t('panel_title');
const root = document.getElementById('root');
if (root) render(<Panel service={service} />, root);
