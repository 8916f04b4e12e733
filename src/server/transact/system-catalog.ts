/**
 * Facts about Instant's system catalog (its `$`-namespaces), as the transaction checks need them: which
 * `ns.label` names are system columns (forward and reverse labels alike), on which `$`-namespaces apps
 * may add their own attributes, and which system attributes every entity must have.
 */

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
