import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage, IgError, type ErrorShape } from '@/lib/errors';
import { t, uiLanguage, type MessageKey } from '@/lib/i18n';
import type { Identity, Role } from '@/lib/platforms/types';
import { parseSelectorOverrides, SELECTOR_NAMES } from '@/lib/platforms/page';
import {
  defaultRateLimits,
  MAX_RATE_WINDOWS,
  needsAccountId,
  needsAgentEmail,
  validateRateLimits,
  validateSettings,
  type PlatformId,
  type RateLimitErrors,
  type RateLimitInput,
  type Settings,
  type SettingsField,
  type SettingsInput,
} from '@/lib/settings';

/** What the form needs from the extension; the options entrypoint wires it to the background. */
export interface OptionsService {
  /** `locked`: the settings fields the organisation's policy sets. */
  load(): Promise<{ settings: Settings | null; hasToken: boolean; access?: 'granted' | 'missing'; locked?: string[] }>;
  /** Must run inside the click that saves: browsers only prompt from a user gesture. */
  ensurePermission(settings: Settings): Promise<boolean>;
  save(settings: Settings, token: string | undefined): Promise<{ hasToken: boolean; settings?: Settings | null; locked?: string[] }>;
  test(): Promise<Identity>;
  /** Calls back when the organisation's policy changes; returns how to stop. */
  watchPolicy?(changed: () => void): () => void;
}

export interface Props {
  service: OptionsService;
  testId?: string;
}

type Form = SettingsInput & {
  token: string;
  selectors: string;
  pinnedRole: Role | '';
  /** null: the platform's default windows. */
  rateLimits: RateLimitInput[] | null;
};

type Outcome =
  | { kind: 'idle' }
  | { kind: 'busy'; text: MessageKey }
  | { kind: 'saved' }
  | { kind: 'connected'; identity: Identity }
  | { kind: 'error'; error: ErrorShape };

const EMPTY: Form = {
  platform: 'chatwoot',
  apiStyle: 'helena',
  serverUrl: '',
  inboxUrl: '',
  accountId: '',
  agentEmail: '',
  token: '',
  rememberToken: false,
  selectors: '',
  pinnedRole: '',
  rateLimits: null,
};

const placeholders: Record<PlatformId, string> = {
  reference: 'http://127.0.0.1:4010',
  helena: 'https://api.helena.run',
  chatwoot: 'https://app.chatwoot.com',
};

const roleLabels = {
  owner: 'role_owner',
  admin: 'role_admin',
  manager: 'role_manager',
  agent: 'role_agent',
} as const;

function fromSettings(settings: Settings): Form {
  return {
    platform: settings.platform,
    apiStyle: settings.apiStyle,
    serverUrl: settings.serverUrl,
    inboxUrl: settings.inboxUrl ?? '',
    accountId: settings.accountId ?? '',
    agentEmail: settings.agentEmail ?? '',
    token: '',
    rememberToken: settings.rememberToken,
    selectors: settings.selectors ? JSON.stringify(settings.selectors, null, 2) : '',
    pinnedRole: settings.pinnedRole ?? '',
    rateLimits: settings.rateLimits ? settings.rateLimits.map(({ limit, windowMs }) => ({ limit: String(limit), seconds: String(windowMs / 1000) })) : null,
  };
}

const number = (value: number) => new Intl.NumberFormat(uiLanguage()).format(value);

/** The note under a field the organisation's policy sets (referenced by aria-describedby). */
function LockedNote({ id }: { id: string }) {
  return (
    <p class="ig-field__locked" id={id}>
      {t('policy_locked')}
    </p>
  );
}

interface FieldProps {
  name: SettingsField;
  label: MessageKey;
  help: MessageKey;
  type: 'url' | 'text' | 'email' | 'password';
  value: string;
  error?: MessageKey;
  placeholder?: string;
  testId: string;
  locked?: boolean;
  onInput(value: string): void;
}

/** A labelled input with its help, and its error in place of nothing when there is one. */
function TextField({ name, label, help, type, value, error, placeholder, testId, locked, onInput }: FieldProps) {
  const id = `${testId}-${name}`;
  const describedBy = [error && `${id}-error`, locked && `${id}-locked`, `${id}-help`].filter(Boolean).join(' ');
  return (
    <div class="ig-field">
      <label for={id}>{t(label)}</label>
      <input
        id={id}
        type={type}
        inputMode={name === 'accountId' ? 'numeric' : undefined}
        autoComplete={type === 'password' ? 'off' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        data-testid={id}
        disabled={locked}
        placeholder={placeholder}
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {locked && <LockedNote id={`${id}-locked`} />}
      <p class="ig-field__help" id={`${id}-help`}>
        {t(help)}
      </p>
      {error && (
        <p class="ig-field__error" id={`${id}-error`}>
          {t(error)}
        </p>
      )}
    </div>
  );
}

/** Every setting: platform, server, account, who I am, the token, limits, role, selectors; and a test. */
export function OptionsForm({ service, testId = 'ig-options' }: Props) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [hasToken, setHasToken] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<SettingsField, MessageKey>>>({});
  const [rateErrors, setRateErrors] = useState<RateLimitErrors>([]);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [saved, setSaved] = useState<Settings | null>(null);
  const [access, setAccess] = useState<'granted' | 'missing' | undefined>(undefined);
  const [selectorsError, setSelectorsError] = useState<string | null>(null);
  const [locked, setLocked] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    service
      .load()
      .then(({ settings, hasToken: tokenSaved, access: granted, locked: fields }) => {
        if (settings) setForm(fromSettings(settings));
        setSaved(settings);
        setHasToken(tokenSaved);
        setAccess(granted);
        setLocked(new Set(fields ?? []));
      })
      .catch((error: unknown) => setOutcome({ kind: 'error', error: IgError.from(error).toShape() }));
  }, [service]);

  // The policy changed while the page is open: what it locks (or no longer locks) is shown as
  // it now applies; what the user is typing elsewhere stays.
  const lockedNow = useRef(locked);
  lockedNow.current = locked;
  useEffect(
    () =>
      service.watchPolicy?.(() => {
        void service
          .load()
          .then(({ settings, locked: fields = [] }) => {
            const touched = new Set([...lockedNow.current, ...fields]);
            if (settings) {
              const fresh = fromSettings(settings);
              setForm((previous) => {
                const next: Record<string, unknown> = { ...previous };
                for (const field of touched) if (field in fresh) next[field] = fresh[field as keyof Form];
                return next as unknown as Form;
              });
            }
            setLocked(new Set(fields));
            setSaved(settings);
          })
          .catch((error: unknown) => setOutcome({ kind: 'error', error: IgError.from(error).toShape() }));
      }),
    [service],
  );

  const update = <K extends keyof Form>(key: K, value: Form[K]) => setForm((previous) => ({ ...previous, [key]: value }));
  const isLocked = (field: keyof Settings) => locked.has(field);
  /** aria-describedby for a control: its locked note (when locked) and its help. */
  const described = (field: keyof Settings, ...ids: string[]) =>
    [isLocked(field) ? `${testId}-${field}-locked` : '', ...ids].filter(Boolean).join(' ') || undefined;

  const save = async (): Promise<boolean> => {
    const validation = validateSettings(form);
    const tokenMissing = !form.token.trim() && !hasToken;
    const fieldErrors: Partial<Record<SettingsField, MessageKey>> = validation.ok ? {} : { ...validation.errors };
    if (tokenMissing) fieldErrors.token = 'options_error_token';
    setErrors(fieldErrors);
    const limits = form.rateLimits ? validateRateLimits(form.rateLimits) : null;
    setRateErrors(limits && !limits.ok ? limits.errors : []);
    const overrides = parseSelectorOverrides(form.selectors);
    setSelectorsError(
      overrides.ok
        ? null
        : t(
            overrides.problem === 'json'
              ? 'options_error_selectors_json'
              : overrides.problem === 'shape'
                ? 'options_error_selectors_shape'
                : 'options_error_selectors_css',
            overrides.detail,
          ),
    );
    if (!validation.ok || tokenMissing || !overrides.ok || (limits && !limits.ok)) {
      setOutcome({ kind: 'idle' });
      return false;
    }
    try {
      if (!(await service.ensurePermission(validation.settings))) {
        setOutcome({ kind: 'error', error: { code: 'permission_missing' } });
        return false;
      }
      setOutcome({ kind: 'busy', text: 'options_saving' });
      const next: Settings = {
        ...validation.settings,
        ...(limits?.ok ? { rateLimits: limits.rateLimits } : {}),
        ...(form.pinnedRole ? { pinnedRole: form.pinnedRole } : {}),
        ...(overrides.overrides ? { selectors: overrides.overrides } : {}),
      };
      const answer = await service.save(next, form.token.trim() || undefined);
      setHasToken(answer.hasToken);
      setSaved(answer.settings ?? next);
      if (answer.locked) setLocked(new Set(answer.locked));
      setAccess('granted');
      setForm((previous) => ({ ...previous, token: '' }));
      setOutcome({ kind: 'saved' });
      return true;
    } catch (error) {
      setOutcome({ kind: 'error', error: IgError.from(error).toShape() });
      return false;
    }
  };

  const test = async () => {
    if (!(await save())) return;
    setOutcome({ kind: 'busy', text: 'options_testing' });
    try {
      setOutcome({ kind: 'connected', identity: await service.test() });
    } catch (error) {
      setOutcome({ kind: 'error', error: IgError.from(error).toShape() });
    }
  };

  const busy = outcome.kind === 'busy';

  /** Access was taken away (chrome://extensions, the browser's site settings): ask again, on a click only. */
  const allowAccess = async () => {
    if (!saved) return;
    const granted = await service.ensurePermission(saved);
    setAccess(granted ? 'granted' : 'missing');
  };

  const defaults = defaultRateLimits(form);
  const setRow = (index: number, patch: Partial<RateLimitInput>) =>
    update('rateLimits', (form.rateLimits ?? []).map((row, at) => (at === index ? { ...row, ...patch } : row)));
  const rateLocked = isLocked('rateLimits');

  return (
    <form
      class="ig-options"
      data-testid={testId}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {locked.size > 0 && (
        <p class="ig-options__policy" data-testid={`${testId}-policy`}>
          {t('policy_in_effect')}
        </p>
      )}
      {access === 'missing' && saved && (
        <div class="ig-options__notice" role="alert" data-testid={`${testId}-access`}>
          <p>
            {/* A server the organisation set was never allowed here: nothing was "removed". */}
            {isLocked('serverUrl') || isLocked('inboxUrl')
              ? t('policy_access_needed', new URL(saved.inboxUrl || saved.serverUrl).host)
              : t('options_access_missing', new URL(saved.inboxUrl || saved.serverUrl).host)}
          </p>
          <button type="button" class="ig-button ig-button--primary" onClick={() => void allowAccess()}>
            {t('options_access_allow')}
          </button>
        </div>
      )}
      <div class="ig-field">
        <label for={`${testId}-platform`}>{t('options_platform')}</label>
        <select
          id={`${testId}-platform`}
          data-testid={`${testId}-platform`}
          value={form.platform}
          disabled={isLocked('platform')}
          aria-describedby={described('platform')}
          onChange={(event) => update('platform', event.currentTarget.value as PlatformId)}
        >
          <option value="chatwoot">{t('platform_chatwoot')}</option>
          <option value="helena">{t('platform_helena')}</option>
          <option value="reference">{t('platform_reference')}</option>
        </select>
        {isLocked('platform') && <LockedNote id={`${testId}-platform-locked`} />}
      </div>

      {form.platform === 'reference' && (
        <fieldset class="ig-field" aria-describedby={described('apiStyle')}>
          <legend>{t('options_api_style')}</legend>
          {(['helena', 'chatwoot'] as const).map((style) => (
            <label class="ig-choice" key={style}>
              <input
                type="radio"
                name="apiStyle"
                value={style}
                checked={form.apiStyle === style}
                disabled={isLocked('apiStyle')}
                data-testid={`${testId}-apiStyle-${style}`}
                onChange={() => update('apiStyle', style)}
              />
              {t(style === 'helena' ? 'options_api_style_helena' : 'options_api_style_chatwoot')}
            </label>
          ))}
          {isLocked('apiStyle') && <LockedNote id={`${testId}-apiStyle-locked`} />}
        </fieldset>
      )}

      <TextField
        name="serverUrl"
        type="url"
        label="options_server_url"
        help="options_server_url_help"
        placeholder={placeholders[form.platform]}
        value={form.serverUrl}
        error={errors.serverUrl}
        locked={isLocked('serverUrl')}
        testId={testId}
        onInput={(value) => update('serverUrl', value)}
      />
      {form.platform === 'helena' && (
        <TextField
          name="inboxUrl"
          type="url"
          label="options_inbox_url"
          help="options_inbox_url_help"
          placeholder="https://app.wts.chat"
          value={form.inboxUrl}
          error={errors.inboxUrl}
          locked={isLocked('inboxUrl')}
          testId={testId}
          onInput={(value) => update('inboxUrl', value)}
        />
      )}
      {needsAccountId(form) && (
        <TextField
          name="accountId"
          type="text"
          label="options_account_id"
          help="options_account_id_help"
          value={form.accountId}
          error={errors.accountId}
          locked={isLocked('accountId')}
          testId={testId}
          onInput={(value) => update('accountId', value)}
        />
      )}
      {needsAgentEmail(form) && (
        <TextField
          name="agentEmail"
          type="email"
          label="options_agent_email"
          help="options_agent_email_help"
          value={form.agentEmail}
          error={errors.agentEmail}
          locked={isLocked('agentEmail')}
          testId={testId}
          onInput={(value) => update('agentEmail', value)}
        />
      )}
      <TextField
        name="token"
        type="password"
        label="options_token"
        help="options_token_help"
        placeholder={hasToken ? t('options_token_saved') : ''}
        value={form.token}
        error={errors.token}
        testId={testId}
        onInput={(value) => update('token', value)}
      />
      <div class="ig-field">
        <label class="ig-choice">
          <input
            type="checkbox"
            checked={form.rememberToken}
            disabled={isLocked('rememberToken')}
            aria-describedby={described('rememberToken', `${testId}-remember-help`)}
            data-testid={`${testId}-remember`}
            onChange={(event) => update('rememberToken', event.currentTarget.checked)}
          />
          {t('options_remember')}
        </label>
        {isLocked('rememberToken') && <LockedNote id={`${testId}-rememberToken-locked`} />}
        <p class="ig-field__help" id={`${testId}-remember-help`}>
          {t('options_remember_help')}
        </p>
      </div>

      <div class="ig-field">
        <label for={`${testId}-pinnedRole`}>{t('options_role_pin')}</label>
        <select
          id={`${testId}-pinnedRole`}
          data-testid={`${testId}-pinnedRole`}
          value={form.pinnedRole}
          disabled={isLocked('pinnedRole')}
          aria-describedby={described('pinnedRole', `${testId}-pinnedRole-help`)}
          onChange={(event) => update('pinnedRole', event.currentTarget.value as Role | '')}
        >
          <option value="">{t('options_role_pin_none')}</option>
          {(['owner', 'admin', 'manager', 'agent'] as const).map((role) => (
            <option key={role} value={role}>
              {t(roleLabels[role])}
            </option>
          ))}
        </select>
        {isLocked('pinnedRole') && <LockedNote id={`${testId}-pinnedRole-locked`} />}
        <p class="ig-field__help" id={`${testId}-pinnedRole-help`}>
          {t('options_role_pin_help')}
        </p>
      </div>

      <fieldset class="ig-field ig-rates" data-testid={`${testId}-rateLimits`} aria-describedby={described('rateLimits', `${testId}-rateLimits-help`)}>
        <legend>{t('options_rate_limits')}</legend>
        {rateLocked && <LockedNote id={`${testId}-rateLimits-locked`} />}
        <p class="ig-field__help" id={`${testId}-rateLimits-help`}>
          {t('options_rate_limits_help')}{' '}
          {t('options_rate_default', defaults.map((window) => t('options_rate_window', [number(window.limit), number(window.windowMs / 1000)])).join(', '))}
        </p>
        {form.rateLimits === null ? (
          <div class="ig-rates__actions">
            <p class="ig-rates__default">{t('options_rate_using_default')}</p>
            {!rateLocked && (
              <button
                type="button"
                class="ig-button"
                data-testid={`${testId}-rateLimits-custom`}
                onClick={() => update('rateLimits', defaults.map(({ limit, windowMs }) => ({ limit: String(limit), seconds: String(windowMs / 1000) })))}
              >
                {t('options_rate_custom')}
              </button>
            )}
          </div>
        ) : (
          <>
            <ol class="ig-rates__rows">
              {form.rateLimits.map((row, index) => {
                const rowId = `${testId}-rate-${index}`;
                const rowError = rateErrors[index];
                return (
                  <li key={index} class="ig-rates__row">
                    <input
                      type="text"
                      inputMode="numeric"
                      class="ig-rates__number"
                      aria-label={t('options_rate_requests_label', index + 1)}
                      aria-invalid={rowError?.limit ? 'true' : undefined}
                      aria-describedby={described('rateLimits', rowError?.limit ? `${rowId}-limit-error` : '')}
                      data-testid={`${rowId}-limit`}
                      value={row.limit}
                      disabled={rateLocked}
                      onInput={(event) => setRow(index, { limit: event.currentTarget.value })}
                    />
                    <span aria-hidden="true">{t('options_rate_requests_per')}</span>
                    <input
                      type="text"
                      inputMode="decimal"
                      class="ig-rates__number"
                      aria-label={t('options_rate_seconds_label', index + 1)}
                      aria-invalid={rowError?.seconds ? 'true' : undefined}
                      aria-describedby={described('rateLimits', rowError?.seconds ? `${rowId}-seconds-error` : '')}
                      data-testid={`${rowId}-seconds`}
                      value={row.seconds}
                      disabled={rateLocked}
                      onInput={(event) => setRow(index, { seconds: event.currentTarget.value })}
                    />
                    <span aria-hidden="true">{t('options_rate_seconds_unit')}</span>
                    {!rateLocked && (form.rateLimits?.length ?? 0) > 1 && (
                      <button
                        type="button"
                        class="ig-button ig-rates__remove"
                        data-testid={`${rowId}-remove`}
                        onClick={() => update('rateLimits', (form.rateLimits ?? []).filter((_, at) => at !== index))}
                      >
                        {t('options_rate_remove', index + 1)}
                      </button>
                    )}
                    {rowError?.limit && (
                      <p class="ig-field__error" id={`${rowId}-limit-error`}>
                        {t(rowError.limit)}
                      </p>
                    )}
                    {rowError?.seconds && (
                      <p class="ig-field__error" id={`${rowId}-seconds-error`}>
                        {t(rowError.seconds)}
                      </p>
                    )}
                  </li>
                );
              })}
            </ol>
            {!rateLocked && (
              <div class="ig-rates__actions">
                {form.rateLimits.length < MAX_RATE_WINDOWS && (
                  <button
                    type="button"
                    class="ig-button"
                    data-testid={`${testId}-rateLimits-add`}
                    onClick={() => update('rateLimits', [...(form.rateLimits ?? []), { limit: '', seconds: '' }])}
                  >
                    {t('options_rate_add')}
                  </button>
                )}
                <button
                  type="button"
                  class="ig-button"
                  data-testid={`${testId}-rateLimits-reset`}
                  onClick={() => {
                    update('rateLimits', null);
                    setRateErrors([]);
                  }}
                >
                  {t('options_rate_reset')}
                </button>
              </div>
            )}
          </>
        )}
      </fieldset>

      <details class="ig-field ig-options__advanced" open={Boolean(form.selectors) || selectorsError !== null}>
        <summary>{t('options_selectors')}</summary>
        <label for={`${testId}-selectors`} class="ig-visually-hidden">
          {t('options_selectors')}
        </label>
        <textarea
          id={`${testId}-selectors`}
          data-testid={`${testId}-selectors`}
          rows={5}
          spellcheck={false}
          disabled={isLocked('selectors')}
          aria-invalid={selectorsError ? 'true' : undefined}
          aria-describedby={described('selectors', selectorsError ? `${testId}-selectors-error` : `${testId}-selectors-help`)}
          value={form.selectors}
          onInput={(event) => update('selectors', event.currentTarget.value)}
        />
        {isLocked('selectors') && <LockedNote id={`${testId}-selectors-locked`} />}
        <p class="ig-field__help" id={`${testId}-selectors-help`}>
          {t('options_selectors_help', SELECTOR_NAMES.join(', '))}
        </p>
        {selectorsError && (
          <p class="ig-field__error" id={`${testId}-selectors-error`}>
            {selectorsError}
          </p>
        )}
      </details>

      <div class="ig-options__actions">
        <button type="submit" class="ig-button ig-button--primary" disabled={busy} data-testid={`${testId}-save`}>
          {t('options_save')}
        </button>
        <button type="button" class="ig-button" disabled={busy} onClick={() => void test()} data-testid={`${testId}-test`}>
          {t('options_test')}
        </button>
      </div>

      <div class="ig-options__outcome" data-testid={`${testId}-outcome`} data-kind={outcome.kind}>
        <p role="status">
          {outcome.kind === 'busy' && t(outcome.text)}
          {outcome.kind === 'saved' && t('options_saved')}
          {outcome.kind === 'connected' &&
            t('options_connected', [outcome.identity.userName, t(roleLabels[outcome.identity.role])])}
        </p>
        {outcome.kind === 'connected' && outcome.identity.roleSource === 'assumed' && (
          <p class="ig-field__help">{t('options_role_assumed')}</p>
        )}
        {outcome.kind === 'connected' && outcome.identity.roleSource === 'policy' && (
          <p class="ig-field__help" data-testid={`${testId}-role-pinned`}>
            {t('options_role_pinned')}
          </p>
        )}
        {outcome.kind === 'error' && (
          <p role="alert" class="ig-options__error">
            {errorMessage(outcome.error)}
          </p>
        )}
      </div>
    </form>
  );
}
