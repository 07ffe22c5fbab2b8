/**
 * Reading and checking form controls, with messages that name the control.
 */

/** The value of the control called `name` in `form`. */
export function field(form: HTMLFormElement, name: string): string {
  const control = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  if (!control) throw new Error(`demo: no form control named ${name}`);
  return control.value;
}

/**
 * A number from `name` within [min, max]; throws a message meant for the page. Thousands
 * separators are allowed, as the page writes counts with them ("1,000").
 */
export function numberField(form: HTMLFormElement, name: string, label: string, min: number, max: number, integer = false): number {
  const text = field(form, name).trim().replace(/,(?=\d{3}(\D|$))/g, '');
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${label} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

/** Hidden-layer sizes from text like "8, 8"; empty text means no hidden layer. */
export function parseLayers(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length > 8) throw new RangeError('Hidden layers: at most 8 layers');
  return parts.map((part) => {
    const units = Number(part);
    if (!Number.isInteger(units) || units < 1 || units > 256) throw new RangeError(`Hidden layers: "${part}" is not a whole number from 1 to 256`);
    return units;
  });
}
