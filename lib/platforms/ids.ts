/** The platforms Inbox Guard speaks to, the two API contracts and their ids' shapes (tiny, shared by every bundle). */
import { z } from '../schema';

export const PlatformId = z.enum(['reference', 'helena', 'chatwoot']);
export type PlatformId = z.infer<typeof PlatformId>;
export const ApiStyle = z.enum(['helena', 'chatwoot']);
export type ApiStyle = z.infer<typeof ApiStyle>;

/**
 * The ids the platforms hand out, which are what goes into a request's path: Helena's are
 * uuids (FACTS.md §3, §5), Chatwoot's integers. An id of any other shape is no contact's or
 * conversation's, and is never put in a URL.
 */
export const HELENA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const CHATWOOT_ID = /^\d{1,19}$/;

/**
 * What an id from a page or a file may be before the platform is known: letters, digits, "-"
 * and "_" (every platform's shape fits). Never "." or "..", never empty, nothing a URL reads
 * as syntax (/ ? # % \ or spaces).
 */
export const SAFE_ID = /^[A-Za-z0-9_-]{1,200}$/;
