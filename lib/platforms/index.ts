/** Picks the adapter for the configured platform. */
import type { Settings } from '../settings';
import { createChatwootApi } from './chatwoot/api';
import { createHelenaApi } from './helena/api';
import { createReferenceApi } from './reference/api';
import type { ApiDeps, PlatformApi } from './types';

export function createPlatformApi(settings: Settings, deps: Omit<ApiDeps, 'baseUrl'>): PlatformApi {
  const base = { ...deps, baseUrl: settings.serverUrl };
  switch (settings.platform) {
    case 'helena':
      return createHelenaApi({ ...base, agentEmail: settings.agentEmail });
    case 'chatwoot':
      return createChatwootApi({ ...base, accountId: settings.accountId ?? '' });
    case 'reference':
      return createReferenceApi({
        ...base,
        apiStyle: settings.apiStyle,
        accountId: settings.accountId,
        agentEmail: settings.agentEmail,
      });
  }
}
