/**
 * Small queries over the parsed tree that several features share: where the experiments are, and the value
 * of a key. Duplicate keys resolve as the core's `propertyNode` does (the last one wins, as in JSON.parse).
 */
import { propertyNode, type JsonNode } from '../core/experiment/jsonc';

/** One `experiments.NAME` entry: its key node (for ranges) and its value node (an object when well formed). */
export interface ExperimentEntry {
  name: string;
  key: JsonNode;
  value: JsonNode | undefined;
  /** The whole `"NAME": {…}` property node. */
  property: JsonNode;
}

export interface PropertyParts {
  key: JsonNode;
  value: JsonNode | undefined;
  property: JsonNode;
}

/** The key and value of `key` in an object node. */
export function property(object: JsonNode | undefined, key: string): PropertyParts | undefined {
  const prop = object ? propertyNode(object, key) : undefined;
  const [k, v] = prop?.children ?? [];
  return prop && k ? { key: k, value: v, property: prop } : undefined;
}

/** Experiments in document order. A duplicate name yields two entries; the validator reports it. */
export function experimentEntries(root: JsonNode | undefined): ExperimentEntry[] {
  const experiments = property(root, 'experiments')?.value;
  if (experiments?.type !== 'object') return [];
  const entries: ExperimentEntry[] = [];
  for (const prop of experiments.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (key?.type === 'string' && typeof key.value === 'string') {
      entries.push({ name: key.value, key, value, property: prop });
    }
  }
  return entries;
}
