/**
 * A step's context whose fields are computed from the step's state when read: its own
 * AbortSignal, the merged environment of its processes, its log function, the run's scratch
 * folder... Each looks like a plain own field (read, `in`, Object.keys, spread `{ ...ctx }`), as
 * getters would; but an object literal with getters costs ~2.5 us to create in V8 (10,000 steps:
 * 25 ms), and even plain fields and the closures among them cost a step that reads none of them
 * (a no-op) ~300 bytes. Here a step brings its state, and gets a Proxy over it.
 */
import type { StepContext } from '../../steps/contract.js';

/**
 * How to compute each field of a context from a step's `state`, called at each read (a field that
 * is costly to make, or must stay the same object, keeps it in the state). Shared by every step.
 * The order of the fields is the order of the context's keys.
 */
export type ContextFields<S> = { readonly [K in keyof StepContext]-?: (state: S) => StepContext[K] };

/**
 * A maker of contexts over states, for one table of fields.
 *
 * @example
 * const contextOf = contextMaker<{ id: string }>({ stepId: (s) => s.id, ... });
 * contextOf({ id: 'build' }).stepId; // 'build'
 */
export function contextMaker<S extends object>(fields: ContextFields<S>): (state: S) => StepContext {
  const keys = Object.keys(fields);
  const table = new Map<string | symbol, (state: S) => unknown>(Object.entries(fields));
  const handler: ProxyHandler<S> = {
    // Anything else reads as on a plain object (toString, hasOwnProperty...), never the state's own fields.
    get: (state, key, receiver) => {
      const field = table.get(key);
      return field ? field(state) : Reflect.get(Object.prototype, key, receiver);
    },
    has: (_state, key) => table.has(key) || key in Object.prototype,
    ownKeys: () => [...keys],
    getOwnPropertyDescriptor: (state, key) => {
      const field = table.get(key);
      return field && { value: field(state), writable: false, enumerable: true, configurable: true };
    },
    // A context is read-only for steps, as its fields say; its state stays open for what it keeps.
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
    preventExtensions: () => false,
  };
  return (state) => new Proxy(state, handler) as unknown as StepContext;
}
