import { describe, expect, it } from 'vitest';
import { nameTable } from '../../src/util/names.js';

/** Keys every plain object inherits, which a name lookup must never accept. */
const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

const colours = nameTable('colour', ['red', 'green', 'blue'] as const, { crimson: 'red', 'sea-green': 'green' });

describe('nameTable', () => {
  it('resolves canonical names and aliases', () => {
    expect(colours.resolve('red', 'paint')).toBe('red');
    expect(colours.resolve('crimson', 'paint')).toBe('red');
    expect(colours.resolve('sea-green', 'paint')).toBe('green');
    expect(colours.lookup('blue')).toBe('blue');
    expect(colours.lookup('crimson')).toBe('red');
    expect(colours.names).toEqual(['red', 'green', 'blue']);
    expect(colours.kind).toBe('colour');
  });

  it('has() accepts canonical names only', () => {
    expect(colours.has('green')).toBe(true);
    expect(colours.has('crimson')).toBe(false);
    expect(colours.has(3)).toBe(false);
  });

  it.each(INHERITED)('never accepts the inherited key %s', (key) => {
    expect(colours.has(key)).toBe(false);
    expect(colours.lookup(key)).toBeUndefined();
    expect(() => colours.resolve(key, 'paint')).toThrow(TypeError);
    expect(() => colours.resolve(key, 'paint')).toThrow(`paint: unknown colour ${JSON.stringify(key)}; expected one of red, green, blue`);
  });

  it('is case-sensitive and does not trim', () => {
    expect(colours.lookup('Red')).toBeUndefined();
    expect(colours.lookup(' red')).toBeUndefined();
  });

  it('names the type of a value that is not a string', () => {
    const cases: [unknown, string][] = [
      [3, 'got a number (3)'], [undefined, 'got undefined'], [null, 'got null'], [true, 'got a boolean (true)'],
      [{}, 'got an object'], [['red'], 'got an array of 1'], [10n, 'got a bigint (10n)'], [() => 'red', 'got a function'],
      [Symbol('s'), 'got a symbol (Symbol(s))'],
    ];
    for (const [value, message] of cases) {
      expect(() => colours.resolve(value, 'paint')).toThrow(TypeError);
      expect(() => colours.resolve(value, 'paint')).toThrow(`paint: colour name must be a string, ${message}; expected one of red, green, blue`);
    }
  });

  it('ignores an alias that shadows a canonical name', () => {
    const t = nameTable('colour', ['red', 'green'] as const, { red: 'green' });
    expect(t.resolve('red', 'paint')).toBe('red');
  });

  it('rejects an alias that points at no name', () => {
    expect(() => nameTable('colour', ['red'] as const, { rose: 'pink' as 'red' })).toThrow('nameTable: alias "rose" of colour points at unknown name "pink"');
  });

  it('takes a copy of the names and freezes it', () => {
    const names = ['a', 'b'];
    const t = nameTable('letter', names);
    names.push('c');
    expect(t.names).toEqual(['a', 'b']);
    expect(Object.isFrozen(t.names)).toBe(true);
  });
});
