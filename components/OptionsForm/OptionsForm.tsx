import { useEffect, useState } from 'preact/hooks';
import { errorMessage, IgError, type ErrorShape } from '@/lib/errors';
import { t, type MessageKey } from '@/lib/i18n';
import type { Identity } from '@/lib/platforms/types';
import { parseSelectorOverrides, SELECTOR_NAMES } from '@/lib/platforms/page';
import {
  needsAccountId,
  needsAgentEmail,
  validateSettings,
  type PlatformId,
  type Settings,
  type SettingsField,
  type SettingsInput,
} from '@/lib/settings';

/** What the form needs from the extension; the options entrypoint wires it to the background. */
export interface OptionsService {
  load(): Promise<{ settings: Settings | null; hasToken: boolean; access?: 'granted' | 'missing' }>;
  /** Must run inside the click that saves: browsers only prompt from a user gesture. */
  ensurePermission(settings: Settings): Promise<boolean>;
  save(settings: Settings, token: string | undefined): Promise<{ hasToken: boolean }>;
  test(): Promise<Identity>;
}

export interface Props {
  service: OptionsService;
  testId?: string;
}

type Form = SettingsInput & { token: string; selectors: string };

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
  };
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
  onInput(value: string): void;
}

/** A labelled input with its help, and its error in place of nothing when there is one. */
function TextField({ name, label, help, type, value, error, placeholder, testId, onInput }: FieldProps) {
  const id = `${testId}-${name}`;
  return (
    <div class="ig-field">
      <label for={id}>{t(label)}</label>
      <input
        id={id}
        type={type}
        inputMode={name === 'accountId' ? 'numeric' : undefined}
        autoComplete={type === 'password' ? 'off' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error ${id}-help` : `${id}-help`}
        data-testid={id}
        placeholder={placeholder}
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
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

/** The connection settings: platform, server, account, who I am, the token, and a test. */
export function OptionsForm({ service, testId = 'ig-options' }: Props) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [hasToken, setHasToken] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<SettingsField, MessageKey>>>({});
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [saved, setSaved] = useState<Settings | null>(null);
  const [access, setAccess] = useState<'granted' | 'missing' | undefined>(undefined);
  const [selectorsError, setSelectorsError] = useState<string | null>(null);

  useEffect(() => {
    service
      .load()
      .then(({ settings, hasToken: tokenSaved, access: granted }) => {
        if (settings) setForm(fromSettings(settings));
        setSaved(settings);
        setHasToken(tokenSaved);
        setAccess(granted);
      })
      .catch((error: unknown) => setOutcome({ kind: 'error', error: IgError.from(error).toShape() }));
  }, [service]);

  const update = <K extends keyof Form>(key: K, value: Form[K]) => setForm((previous) => ({ ...previous, [key]: value }));

  const save = async (): Promise<boolean> => {
    const validation = validateSettings(form);
    const tokenMissing = !form.token.trim() && !hasToken;
    const fieldErrors: Partial<Record<SettingsField, MessageKey>> = validation.ok ? {} : { ...validation.errors };
    if (tokenMissing) fieldErrors.token = 'options_error_token';
    setErrors(fieldErrors);
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
    if (!validation.ok || tokenMissing || !overrides.ok) {
      setOutcome({ kind: 'idle' });
      return false;
    }
    try {
      if (!(await service.ensurePermission(validation.settings))) {
        setOutcome({ kind: 'error', error: { code: 'permission_missing' } });
        return false;
      }
      setOutcome({ kind: 'busy', text: 'options_saving' });
      // Settings the form does not show (yet) are kept as they are.
      const next: Settings = {
        ...validation.settings,
        ...(saved?.rateLimits ? { rateLimits: saved.rateLimits } : {}),
        ...(overrides.overrides ? { selectors: overrides.overrides } : {}),
      };
      const answer = await service.save(next, form.token.trim() || undefined);
      setHasToken(answer.hasToken);
      setSaved(next);
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
      {access === 'missing' && saved && (
        <div class="ig-options__notice" role="alert" data-testid={`${testId}-access`}>
          <p>{t('options_access_missing', new URL(saved.inboxUrl || saved.serverUrl).host)}</p>
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
          onChange={(event) => update('platform', event.currentTarget.value as PlatformId)}
        >
          <option value="chatwoot">{t('platform_chatwoot')}</option>
          <option value="helena">{t('platform_helena')}</option>
          <option value="reference">{t('platform_reference')}</option>
        </select>
      </div>

      {form.platform === 'reference' && (
        <fieldset class="ig-field">
          <legend>{t('options_api_style')}</legend>
          {(['helena', 'chatwoot'] as const).map((style) => (
            <label class="ig-choice" key={style}>
              <input
                type="radio"
                name="apiStyle"
                value={style}
                checked={form.apiStyle === style}
                data-testid={`${testId}-apiStyle-${style}`}
                onChange={() => update('apiStyle', style)}
              />
              {t(style === 'helena' ? 'options_api_style_helena' : 'options_api_style_chatwoot')}
            </label>
          ))}
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
            data-testid={`${testId}-remember`}
            onChange={(event) => update('rememberToken', event.currentTarget.checked)}
          />
          {t('options_remember')}
        </label>
        <p class="ig-field__help">{t('options_remember_help')}</p>
      </div>

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
          aria-invalid={selectorsError ? 'true' : undefined}
          aria-describedby={selectorsError ? `${testId}-selectors-error` : `${testId}-selectors-help`}
          value={form.selectors}
          onInput={(event) => update('selectors', event.currentTarget.value)}
        />
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
        {outcome.kind === 'error' && (
          <p role="alert" class="ig-options__error">
            {errorMessage(outcome.error)}
          </p>
        )}
      </div>
    </form>
  );
}
