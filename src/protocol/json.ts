/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;

/** A JSON object with JSON values. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}
