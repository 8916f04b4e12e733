const SECRET_KEYS = /token|authorization|secret|password/i;

/**
 * The secrets a client knows (its admin token, refresh tokens it has seen or sent) and how to hide them:
 * every occurrence becomes its first four characters and an ellipsis.
 *
 * @example
 * const secrets = new Secrets(); secrets.add(adminToken); secrets.redact(`bad token ${adminToken}`)
 */
export class Secrets {
  readonly #values = new Set<string>();

  /** Remembers a secret. @example secrets.add(refreshToken) */
  add(value: string | undefined): void {
    if (value && value.length >= 8) this.#values.add(value);
  }

  /** A secret as it may be shown: `3f2a…`. @example Secrets.mask('3f2a9c…') */
  static mask(value: string): string {
    return `${value.slice(0, 4)}…`;
  }

  /** Text with every known secret masked. @example secrets.redact(message) */
  redact(text: string): string {
    let out = text;
    for (const value of this.#values) out = out.split(value).join(Secrets.mask(value));
    return out;
  }

  /**
   * A JSON value with known secrets masked wherever they occur, and every string under a key that
   * looks secret (`token`, `refresh_token`, `authorization`, …) masked too.
   *
   * @example
   * secrets.redactValue({ hint: { args: [{ token: '…' }] } })
   */
  redactValue(value: unknown, key = ''): unknown {
    if (typeof value === 'string') return SECRET_KEYS.test(key) ? Secrets.mask(value) : this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, key));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactValue(v, k)]));
    }
    return value;
  }
}
