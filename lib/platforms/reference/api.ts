/**
 * The reference inbox (tests/reference-inbox/) speaks either API contract over one model: an
 * instance runs in Helena style or in Chatwoot style. Its adapter is therefore the matching
 * real adapter, so every end-to-end test exercises the code that runs against the platforms.
 */
import { createChatwootApi } from '../chatwoot/api';
import { createHelenaApi } from '../helena/api';
import type { ApiDeps, PlatformApi } from '../types';

export interface ReferenceOptions extends ApiDeps {
  apiStyle: 'helena' | 'chatwoot';
  accountId?: string;
  agentEmail?: string;
}

export function createReferenceApi(options: ReferenceOptions): PlatformApi {
  return options.apiStyle === 'chatwoot'
    ? createChatwootApi({ ...options, accountId: options.accountId ?? '1' })
    : createHelenaApi(options);
}
