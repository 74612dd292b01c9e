/**
 * What server.ts needs from a platform API (helena-api.ts or chatwoot-api.ts): answer one
 * request under the platform's own auth, limits and error shapes. Only the instance's style
 * is mounted.
 */
import type { Ctx } from './http.ts';
import type { SlidingWindowLimiter } from './rate-limit.ts';

export interface PlatformApi {
  handle(ctx: Ctx): Promise<void>;
  /** Forget the requests counted by the platform's rate limiter (if it has one). */
  resetLimits(): void;
  /** The platform's rate limiter, whose windows tests may replace; null when it has none (Chatwoot). */
  limiter: SlidingWindowLimiter | null;
}
