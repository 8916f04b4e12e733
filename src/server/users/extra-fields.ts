import { isPlainObject } from '../../protocol/json.ts';
import { validationFailed } from '../api/api-error.ts';
import type { AttrRegistry } from '../store/attr-registry.ts';
import { isSystemColumn } from '../transact/system-catalog.ts';

/**
 * Checks `extra-fields` (the `$users` fields a sign-up sets on the new user) as Instant's
 * `validate-extra-fields!` does: every key must be a forward attribute of `$users` that the app added
 * (400 `validation-failed` for `extra-fields`: `Unknown field: <k>. It must be defined in your $users
 * schema.`), never a system one (`Cannot set system field: <k>`: `id`, `email`, `type`, …). Absent or
 * `null` is no fields. Not an object: Instant fails with a 500; here it is the same 400 with a message
 * saying so. Returns the fields.
 */
export function checkExtraFields(registry: AttrRegistry, extraFields: unknown): Record<string, unknown> {
  if (extraFields === undefined || extraFields === null) return {};
  const fail = (message: string) => validationFailed('extra-fields', extraFields, [message]);
  if (!isPlainObject(extraFields)) throw fail('extra-fields must be an object of $users fields');
  for (const key of Object.keys(extraFields)) {
    if (!registry.forward('$users', key))
      throw fail(`Unknown field: ${key}. It must be defined in your $users schema.`);
    if (isSystemColumn('$users', key)) throw fail(`Cannot set system field: ${key}`);
  }
  return extraFields;
}
