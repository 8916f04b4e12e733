/** One entity a transaction touched, before and after it (undefined where it did not exist). */
export interface EntityChange {
  readonly ns: string;
  readonly id: string;
  readonly role: 'write' | 'delete' | 'link-target';
  readonly before: Record<string, unknown> | undefined;
  readonly after: Record<string, unknown> | undefined;
}
