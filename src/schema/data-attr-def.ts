import type { ValueTypeName } from './value-types.ts';

declare const attrTypes: unique symbol;

/** Instant's attribute flags, named as Instant's own schema objects name them. */
export interface AttrConfig {
  readonly indexed: boolean;
  readonly unique: boolean;
}

/**
 * The definition of one data attribute. Immutable: `.optional()`, `.unique()` and `.indexed()` return
 * new definitions. Field names match `@instantdb/admin`'s, so schemas port by changing the import.
 *
 * @example
 * const email = i.string().unique().indexed();
 */
export class DataAttrDef<Value, Required extends boolean, Indexed extends boolean, Unique extends boolean = false> {
  /** Type-only record of the attribute's TypeScript types; never present at run time. */
  declare readonly [attrTypes]: { value: Value; required: Required; indexed: Indexed; unique: Unique };
  readonly valueType: ValueTypeName;
  readonly required: Required;
  readonly isIndexed: Indexed;
  readonly config: AttrConfig;
  readonly metadata: Readonly<Record<string, unknown>> = Object.freeze({});

  constructor(valueType: ValueTypeName, required: Required, isIndexed: Indexed, config: AttrConfig) {
    this.valueType = valueType;
    this.required = required;
    this.isIndexed = isIndexed;
    this.config = Object.freeze({ ...config });
    Object.freeze(this);
  }

  /**
   * The same attribute, no longer required on `create`.
   *
   * @example
   * i.string().optional()
   */
  optional(): DataAttrDef<Value, false, Indexed, Unique> {
    return new DataAttrDef(this.valueType, false, this.isIndexed, this.config);
  }

  /**
   * The same attribute, unique: usable in `lookup(...)`.
   *
   * @example
   * i.string().unique()
   */
  unique(): DataAttrDef<Value, Required, Indexed, true> {
    return new DataAttrDef(this.valueType, this.required, this.isIndexed, { ...this.config, unique: true });
  }

  /**
   * The same attribute, indexed: usable in ordering and comparisons.
   *
   * @example
   * i.number().indexed()
   */
  indexed(): DataAttrDef<Value, Required, true, Unique> {
    return new DataAttrDef(this.valueType, this.required, true, { ...this.config, indexed: true });
  }
}

/**
 * Any data attribute definition, described by shape only: a constraint mentioning `DataAttrDef<any, …>`
 * would make TypeScript infer `any` for `i.string<T>()` from context and lose the value type.
 */
export interface AnyDataAttrDef {
  readonly valueType: ValueTypeName;
  readonly required: boolean;
  readonly isIndexed: boolean;
  readonly config: AttrConfig;
}

// These compare class references by type arguments, which TypeScript does by variance; matching the
// phantom member structurally instead resolved every attribute's class members and doubled check time.

/** The TypeScript value type an attribute definition accepts (`unknown` for other kinds of definitions). */
export type AttrValue<A> = A extends DataAttrDef<infer V, boolean, boolean, boolean> ? V : unknown;
/** `true` when the attribute must be given on `create`. */
// biome-ignore lint/suspicious/noExplicitAny: matches any value type; `unknown` would not (variance)
export type AttrIsRequired<A> = A extends DataAttrDef<any, true, boolean, boolean> ? true : false;
/** `true` when the attribute is unique (a lookup key). */
// biome-ignore lint/suspicious/noExplicitAny: matches any value type; `unknown` would not (variance)
export type AttrIsUnique<A> = A extends DataAttrDef<any, boolean, boolean, true> ? true : false;
