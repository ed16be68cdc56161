/**
 * `defaults` deep-merged under an experiment, on the syntax tree so every merged value still knows where it
 * was written (in `defaults` or in the experiment): errors about a merged value point at that place.
 * Objects merge key by key; arrays and scalars are replaced.
 */
import { getNodeValue } from 'jsonc-parser';
import type { JsonPath } from './diagnostics';
import type { JsonNode } from './jsonc';

export interface Located {
  /** The value node. */
  node: JsonNode;
  /** The property node (key and value), absent for the roots. */
  prop?: JsonNode;
  /** For object values: the children by key (the last duplicate wins, as in JSON.parse). */
  props?: Map<string, Located>;
}

export function locateNode(node: JsonNode, prop?: JsonNode): Located {
  const located: Located = prop ? { node, prop } : { node };
  if (node.type === 'object') {
    located.props = new Map();
    for (const p of node.children ?? []) {
      const [key, value] = p.children ?? [];
      if (key && value) located.props.set(key.value as string, locateNode(value, p));
    }
  }
  return located;
}

/** `over` on top of `base`. */
export function mergeLocated(base: Located | undefined, over: Located | undefined): Located | undefined {
  if (!base) return over;
  if (!over) return base;
  if (!base.props || !over.props) return over;
  const props = new Map(base.props);
  for (const [key, value] of over.props) props.set(key, mergeLocated(base.props.get(key), value)!);
  return { ...over, props };
}

export function findLocated(root: Located | undefined, path: JsonPath): Located | undefined {
  let current = root;
  for (const segment of path) {
    if (!current) return undefined;
    if (typeof segment === 'number') {
      const item = current.node.type === 'array' ? current.node.children?.[segment] : undefined;
      current = item ? { node: item } : undefined;
    } else {
      current = current.props?.get(segment);
    }
  }
  return current;
}

/** The nodes that carry an error (CheckContext.byNode's keys). */
export type BadNodes = { has(node: JsonNode): boolean };

/** True when `node` or anything inside it is in `bad`. */
export function containsBad(node: JsonNode, bad: BadNodes): boolean {
  if (bad.has(node)) return true;
  return (node.children ?? []).some((child) => containsBad(child, bad));
}

/**
 * The plain value of a merged tree, leaving out values with errors (so they cannot reach a run, and their
 * defaults apply for the remaining checks).
 */
export function valueOfLocated(located: Located, bad: BadNodes): unknown {
  if (located.props) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of located.props) {
      if ((child.prop && bad.has(child.prop)) || bad.has(child.node)) continue;
      const value = valueOfLocated(child, bad);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (containsBad(located.node, bad)) return undefined;
  return getNodeValue(located.node);
}
