/** The value types an attribute can declare, as Instant names them. */
export type ValueTypeName = 'string' | 'number' | 'boolean' | 'date' | 'json';

/** How many entities sit on one side of a link. */
export type Cardinality = 'one' | 'many';

/** What a value of each declared type may be written as (a date may be a Date, ISO string or epoch ms). */
export interface ValueTypeInputs {
  string: string;
  number: number;
  boolean: boolean;
  date: Date | string | number;
  json: unknown;
}
