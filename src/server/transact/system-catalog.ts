import { ATTR_DEFAULTS, type Attr } from '../store/attr.ts';

/**
 * Facts about Instant's system catalog (its `$`-namespaces), in one place: the system attributes this
 * server creates, which `ns.label` names are system columns (forward and reverse labels alike), on which
 * `$`-namespaces apps may add their own attributes, and which system attributes every entity must have.
 */

/** A `$files` attribute as Instant's catalog defines it: an indexed string unless said otherwise. */
const fileAttr = (label: string, extra: Partial<Attr> = {}): Omit<Attr, 'id'> => ({
  ...ATTR_DEFAULTS,
  ns: '$files',
  label,
  indexed: true,
  checkedType: 'string',
  ...extra,
});

/**
 * The system attributes this server creates in every app (and adds to older databases at start), as
 * Instant's catalog defines them: `$users` (spec §8), which only the admin may change (besides `id`);
 * `$magicCodes` (a code's hash and the email it was sent to); `$files` (one row per uploaded file:
 * `path`, unique, the only column apps may change; the rest is set by uploads). Which labels Instant's
 * whole catalog reserves is {@link isSystemColumn}; who may write them, `systemAttrWritable` (permissions).
 */
export const SYSTEM_ATTRS: readonly Omit<Attr, 'id'>[] = Object.freeze([
  { ...ATTR_DEFAULTS, ns: '$users', label: 'id', unique: true, indexed: true },
  { ...ATTR_DEFAULTS, ns: '$users', label: 'email', unique: true, indexed: true, checkedType: 'string' },
  { ...ATTR_DEFAULTS, ns: '$users', label: 'imageURL', checkedType: 'string' },
  { ...ATTR_DEFAULTS, ns: '$users', label: 'type', checkedType: 'string' },
  {
    ...ATTR_DEFAULTS,
    ns: '$users',
    label: 'linkedPrimaryUser',
    valueType: 'ref',
    revNs: '$users',
    revLabel: 'linkedGuestUsers',
    onDelete: 'cascade',
  },
  { ...ATTR_DEFAULTS, ns: '$magicCodes', label: 'id', unique: true, indexed: true },
  { ...ATTR_DEFAULTS, ns: '$magicCodes', label: 'codeHash', indexed: true, checkedType: 'string' },
  { ...ATTR_DEFAULTS, ns: '$magicCodes', label: 'email', indexed: true, checkedType: 'string' },
  fileAttr('id', { unique: true, checkedType: null }),
  fileAttr('path', { unique: true, required: true }),
  fileAttr('size', { required: true, checkedType: 'number' }),
  fileAttr('content-type'),
  fileAttr('content-disposition'),
  fileAttr('location-id', { unique: true, required: true }),
  fileAttr('key-version', { indexed: false, checkedType: 'number' }),
  fileAttr('url', { indexed: false }),
]);

/**
 * Forward and reverse labels of Instant's system attributes, per system namespace. A Map, not an object:
 * it is looked up by names from requests, and `__proto__` or `constructor` must find nothing.
 */
const SYSTEM_LABELS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    $users: [
      'id',
      'email',
      'type',
      'imageURL',
      'linkedPrimaryUser',
      'linkedGuestUsers',
      '$userRefreshTokens',
      '$oauthUserLinks',
    ],
    $magicCodes: ['id', 'codeHash', 'email'],
    $userRefreshTokens: ['id', 'hashedToken', '$user'],
    $oauthProviders: ['id', 'name', '$oauthUserLinks', '$oauthClients'],
    $oauthUserLinks: ['id', 'sub', '$user', '$oauthProvider', 'sub+$oauthProvider'],
    $oauthClients: [
      'id',
      '$oauthProvider',
      'name',
      'clientId',
      'encryptedClientSecret',
      'discoveryEndpoint',
      'meta',
      'redirectTo',
      'useSharedCredentials',
      '$oauthCodes',
      '$oauthRedirects',
    ],
    $oauthCodes: ['id', 'codeHash', 'codeChallengeMethod', 'codeChallenge', 'userInfo', '$oauthClient'],
    $oauthRedirects: [
      'id',
      'stateHash',
      'cookieHash',
      'redirectUrl',
      'redirectTo',
      '$oauthClient',
      'codeChallengeMethod',
      'codeChallenge',
    ],
    $files: [
      'id',
      'path',
      'size',
      'content-type',
      'content-disposition',
      'location-id',
      'key-version',
      'url',
      '$stream',
    ],
    $streams: ['id', 'clientId', 'machineId', '$files', 'done', 'size', 'hashedReconnectToken', 'abortReason'],
  }),
);

/** System attributes every entity of their namespace must have (Instant's `required?` system attrs). */
const REQUIRED_SYSTEM_LABELS: ReadonlyMap<string, readonly string[]> = new Map([
  ['$files', ['path', 'size', 'location-id']],
  ['$streams', ['clientId']],
]);

/** The `$`-namespaces an app may add its own attributes to. */
const EDITABLE_NAMESPACES: ReadonlySet<string> = new Set(['$users', '$files', '$streams']);

/**
 * True when `ns.label` names a system column (a forward or reverse label of a system attribute).
 *
 * @example
 * isSystemColumn('$users', 'email') // true
 * isSystemColumn('$users', 'fullName') // false
 */
export function isSystemColumn(ns: string, label: string): boolean {
  return SYSTEM_LABELS.get(ns)?.includes(label) ?? false;
}

/**
 * True when `ns` is reserved for the system: it starts with `$` and apps may not add attributes to it.
 *
 * @example
 * isReservedNamespace('$moop') // true
 * isReservedNamespace('$users') // false
 */
export function isReservedNamespace(ns: string): boolean {
  return ns.startsWith('$') && !EDITABLE_NAMESPACES.has(ns);
}

/**
 * The labels of the system attributes an entity of `ns` must have ([] for other namespaces).
 *
 * @example
 * requiredSystemLabels('$files') // ['path', 'size', 'location-id']
 */
export function requiredSystemLabels(ns: string): readonly string[] {
  return REQUIRED_SYSTEM_LABELS.get(ns) ?? [];
}
