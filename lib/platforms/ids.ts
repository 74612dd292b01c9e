/** The platforms Inbox Guard speaks to, and the two API contracts (tiny, shared by every bundle). */
import { z } from '../schema';

export const PlatformId = z.enum(['reference', 'helena', 'chatwoot']);
export type PlatformId = z.infer<typeof PlatformId>;
export const ApiStyle = z.enum(['helena', 'chatwoot']);
export type ApiStyle = z.infer<typeof ApiStyle>;
