import { UnknownOperationError } from '../errors/unknown-operation-error.ts';
import { isProbeKey } from './reserved-keys.ts';

/**
 * Makes an object to sit at the end of a class's prototype chain: a property found nowhere else
 * (a misspelled `.updaet`) lands here and throws {@link UnknownOperationError} listing `operations`,
 * while `Object.prototype` members and probe names behave as on a plain object. Because it is only
 * reached on a miss, real methods keep the speed of ordinary property access.
 *
 * @example
 * Object.setPrototypeOf(TxChunk.prototype, createOperationGuard(['update', 'link']));
 */
export function createOperationGuard(operations: readonly string[]): object {
  const handler: ProxyHandler<object> = {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key in target) return Reflect.get(target, key, receiver);
      if (isProbeKey(key)) return undefined;
      throw new UnknownOperationError(key, operations);
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
    setPrototypeOf: () => false,
  };
  return new Proxy(Object.prototype, Object.freeze(handler));
}
