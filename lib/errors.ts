/**
 * Errors as values users can read.
 *
 * Every failure in the extension ends as an `IgError` with a `code`; the code picks a localized
 * message (`errorMessage`) that the surface showing it (action bar, options page) displays,
 * while `detail` keeps what the platform or the browser said, for the log and a small print.
 */
import { z } from './schema';
import { t, type MessageKey } from './i18n';
import { isReason } from './roles';

export const ErrorCode = z.enum([
  'not_configured',
  'no_token',
  'unauthorized',
  'forbidden',
  'role_forbidden',
  'not_found',
  'rate_limited',
  'server_error',
  'network',
  'invalid_response',
  'rejected',
  'invalid_request',
  'sender_refused',
  'invalid_transition',
  'account_not_found',
  'permission_missing',
  'internal',
  /** An imported phone or e-mail matches several contacts (detail: how many). */
  'ambiguous',
  /** The server is http:// off this computer: the token would travel unencrypted (detail: origin). */
  'cleartext',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorShape = z.object({
  code: ErrorCode,
  detail: z.optional(z.string()),
  status: z.optional(z.number()),
  retryAfterMs: z.optional(z.number()),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

export class IgError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, opts: { detail?: string; status?: number; retryAfterMs?: number } = {}) {
    super(opts.detail ? `${code}: ${opts.detail}` : code);
    this.name = 'IgError';
    this.code = code;
    this.detail = opts.detail;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }

  toShape(): ErrorShape {
    return ErrorShape.parse({
      code: this.code,
      detail: this.detail,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
    });
  }

  static from(error: unknown): IgError {
    if (error instanceof IgError) return error;
    const detail = error instanceof Error ? error.message : String(error);
    return new IgError('internal', { detail });
  }

  static fromShape(shape: ErrorShape): IgError {
    return new IgError(shape.code, shape);
  }
}

const messages: Record<ErrorCode, MessageKey> = {
  not_configured: 'error_not_configured',
  no_token: 'error_no_token',
  unauthorized: 'error_unauthorized',
  forbidden: 'error_forbidden',
  role_forbidden: 'error_role_forbidden',
  not_found: 'error_not_found',
  rate_limited: 'error_rate_limited',
  server_error: 'error_server',
  network: 'error_network',
  invalid_response: 'error_invalid_response',
  rejected: 'error_rejected',
  invalid_request: 'error_invalid_request',
  sender_refused: 'error_sender_refused',
  invalid_transition: 'error_invalid_transition',
  account_not_found: 'error_account_not_found',
  permission_missing: 'error_permission_missing',
  internal: 'error_internal',
  ambiguous: 'error_ambiguous',
  cleartext: 'error_cleartext',
};

/** The sentence a user reads for an error, in their language; a refused move says why. */
export function errorMessage(error: ErrorShape | IgError): string {
  const detail = error.detail ?? '';
  if (error.code === 'invalid_transition' && isReason(detail)) return t(detail);
  return t(messages[error.code], detail);
}
