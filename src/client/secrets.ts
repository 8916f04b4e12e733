const SECRET_KEYS = /token|authorization|secret|password/i;

/**
 * The secrets a client knows (its admin token, refresh tokens it has seen or sent) and how to hide them:
 * every occurrence becomes its first four characters and an ellipsis.
 *
 * @example
 * const secrets = new Secrets();
 * secrets.add('3f2a9c0e-5b1d-4c6e-9f7a-2b8d4e6f1a3c');
 * secrets.redact('bad token 3f2a9c0e-5b1d-4c6e-9f7a-2b8d4e6f1a3c') // 'bad token 3f2a…'
 */
export class Secrets {
  readonly #values = new Set<string>();

  /** Remembers a secret. */
  add(value: string | undefined): void {
    if (value && value.length >= 8) this.#values.add(value);
  }

  /** A secret as it may be shown: `3f2a…`. @example Secrets.mask('3f2a9c0e-5b1d') // '3f2a…' */
  static mask(value: string): string {
    return `${value.slice(0, 4)}…`;
  }

  /** Text with every known secret masked. */
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
   * new Secrets().redactValue({ hint: { args: [{ token: 'abcdefgh' }] } }) // { hint: { args: [{ token: 'abcd…' }] } }
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
