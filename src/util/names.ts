/**
 * Name tables: how a name a user typed (in code, on the command line, in a model file)
 * becomes a canonical name. Every resolver in the library goes through here, so aliases
 * and error messages behave the same everywhere.
 *
 * Lookups use a `Map` built from own entries only: a plain object would also "contain"
 * inherited keys such as `constructor`, `toString` or `__proto__`.
 */
import { describe } from './describe.js';

/** The canonical names of one kind of thing, their aliases, and checks against both. */
export interface NameTable<T extends string> {
  /** What the names name, for messages, e.g. `'activation'`. */
  readonly kind: string;
  /** Every canonical name, in the order given. */
  readonly names: readonly T[];
  /** True when `value` is a canonical name (aliases are not). */
  has(value: unknown): value is T;
  /** The canonical name for a canonical name or an alias; `undefined` for anything else. */
  lookup(value: unknown): T | undefined;
  /**
   * The canonical name for a canonical name or an alias. Throws a TypeError starting with
   * `where` that quotes the value (or names its type) and lists the canonical names.
   */
  resolve(value: unknown, where: string): T;
}

/**
 * A table of the canonical `names` of a `kind` of thing and the `aliases` users may type
 * instead (alias → canonical name). Throws a TypeError if an alias points at no name.
 */
export function nameTable<T extends string>(
  kind: string, names: readonly T[], aliases: Readonly<Record<string, T>> = {},
): NameTable<T> {
  const canonical = new Set<string>(names);
  const known = new Map<string, T>(names.map((n) => [n, n]));
  for (const [alias, target] of Object.entries(aliases)) {
    if (!canonical.has(target)) throw new TypeError(`nameTable: alias "${alias}" of ${kind} points at unknown name "${target}"`);
    if (!known.has(alias)) known.set(alias, target);
  }
  const list = Object.freeze([...names]);
  const lookup = (value: unknown): T | undefined => (typeof value === 'string' ? known.get(value) : undefined);
  return {
    kind,
    names: list,
    has: (value): value is T => typeof value === 'string' && canonical.has(value),
    lookup,
    resolve(value, where) {
      const name = lookup(value);
      if (name !== undefined) return name;
      const what = typeof value === 'string' ? `unknown ${kind} ${JSON.stringify(value)}` : `${kind} name must be a string, got ${describe(value)}`;
      throw new TypeError(`${where}: ${what}; expected one of ${list.join(', ')}`);
    },
  };
}
