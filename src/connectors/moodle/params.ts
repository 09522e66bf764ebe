// Moodle REST arguments are PHP form arrays: `courseids[0]=5`, `options[0][name]=limitnumber`,
// `options[ids][0]=3`; booleans travel as 1/0 (platforms/moodle.md §1).

export type WsScalar = string | number | boolean;
export type WsValue = WsScalar | null | undefined | readonly WsValue[] | { readonly [key: string]: WsValue };

/** Flattens nested arguments into `name[0][key]=value` pairs, in order; null/undefined are left out. */
export function flattenParams(args: Record<string, WsValue>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (prefix: string, value: WsValue): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(`${prefix}[${i}]`, v);
      });
    } else if (typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(`${prefix}[${k}]`, v);
    } else if (typeof value === "boolean") out[prefix] = value ? "1" : "0";
    else out[prefix] = String(value);
  };
  for (const [k, v] of Object.entries(args)) walk(k, v);
  return out;
}

export type PhpValue = string | PhpValue[] | { [key: string]: PhpValue };

/** Reads `a[0][b]=x` pairs back into nested values as PHP does (numeric keys make arrays). */
export function parsePhpParams(pairs: Iterable<[string, string]>): Record<string, PhpValue> {
  const root: Record<string, PhpValue> = {};
  for (const [rawKey, value] of pairs) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!m) continue;
    const path = [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])];
    let node: Record<string, PhpValue> = root;
    for (let i = 0; i < path.length - 1; i += 1) {
      const key = path[i];
      const next = node[key];
      if (next === undefined || typeof next === "string") node[key] = {};
      node = node[key] as Record<string, PhpValue>;
    }
    node[path[path.length - 1]] = value;
  }
  return listify(root) as Record<string, PhpValue>;
}

/** Objects whose keys are 0..n-1 become arrays. */
function listify(value: PhpValue): PhpValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, listify(value[k])] as const);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}
