import { defineContentScript } from 'wxt/utils/define-content-script';
import { features } from '@/lib/features';
import { startFeatureManager } from '@/lib/features/manager';
import { INBOX_MATCHES } from '@/lib/hosts';
import { incomingAt, profileFor } from '@/lib/platforms/pages';

// Wiring only: the manager asks the background whether this page is the configured inbox,
// picks the page profile and runs the features. Loopback matches are added to the e2e build
// by wxt.config.ts.
export default defineContentScript({
  matches: INBOX_MATCHES,
  runAt: 'document_start',
  cssInjectionMode: 'manual',
  main(ctx) {
    void startFeatureManager({ ctx, features, profileFor, incomingAt });
  },
});
