// JSON.parse that keeps integers beyond 2^53 exact by turning them into strings before parsing.
// Node 20's JSON.parse has no access to the source text in a reviver, so we rewrite the text.

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER).length; // 16

function isUnsafeInteger(literal: string): boolean {
  const digits = literal.startsWith("-") ? literal.slice(1) : literal;
  if (digits.length < MAX_SAFE_DIGITS) return false;
  return !Number.isSafeInteger(Number(literal));
}

/**
 * Quotes every integer literal that a double cannot hold exactly. Strings are left alone;
 * fractions and exponents stay numbers (they are never ids).
 */
export function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) {
          i += 1;
          break;
        } else i += 1;
      }
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 48 && d <= 57) i += 1;
        else break;
      }
      const next = i < n ? text.charCodeAt(i) : -1;
      const isFraction = next === 46 /* . */ || next === 101 /* e */ || next === 69; /* E */
      if (!isFraction && isUnsafeInteger(text.slice(start, i))) {
        out += text.slice(last, start) + '"' + text.slice(start, i) + '"';
        last = i;
      }
      while (i < n) {
        // skip the rest of a fractional literal
        const d = text.charCodeAt(i);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) i += 1;
        else break;
      }
      continue;
    }
    i += 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Parses JSON; with `bigIntsAsStrings` unsafe integers arrive as their exact decimal strings. */
export function parseJson(text: string, options: { bigIntsAsStrings?: boolean } = {}): unknown {
  return JSON.parse(options.bigIntsAsStrings ? quoteUnsafeIntegers(text) : text);
}
