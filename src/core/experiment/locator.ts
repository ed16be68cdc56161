/**
 * Where a problem about one experiment is shown: paths inside the experiment become positions in the file,
 * wherever the merged value was written (the experiment, `defaults`, or for a sweep trial the sweep entry).
 */
import { findNodeAtLocation, getNodePath } from 'jsonc-parser';
import type { JsonPath } from './diagnostics';
import type { JsonNode } from './jsonc';
import { findLocated, locateNode, type Located } from './merge';

export type Span = { path: JsonPath; offset: number; length: number };

/** Turns paths inside one experiment into positions, wherever the merged value was written. */
export class ExperimentLocator {
  constructor(
    readonly merged: Located,
    readonly name: string,
    readonly keyNode: JsonNode,
  ) {}

  located(relPath: JsonPath): Located | undefined {
    return findLocated(this.merged, relPath);
  }

  /** The value at `relPath` if it exists, else the experiment's name (the place to add it). */
  span(relPath: JsonPath): Span {
    const found = this.located(relPath);
    if (found) return { path: getNodePath(found.node), offset: found.node.offset, length: found.node.length };
    return { path: ['experiments', this.name, ...relPath], offset: this.keyNode.offset, length: this.keyNode.length };
  }
}

/** A swept value: its path in the experiment and the sweep entry it came from (the list item or the spec). */
export type SweptNode = { segments: string[]; node: JsonNode };

/**
 * `at` with `value` put at `segments`, replacing what was there, as a trial's config gets its swept values; the
 * objects on the way are copied, not changed. One that only the sweep creates is located at the sweep entry.
 */
function withLocated(at: Located | undefined, segments: readonly string[], value: Located): Located {
  if (segments.length === 0) return value;
  const props = new Map(at?.props);
  props.set(segments[0]!, withLocated(at?.props?.get(segments[0]!), segments.slice(1), value));
  return { ...(at ?? { node: value.node }), props };
}

/**
 * The trial's merged tree: the experiment's, with each swept entry at its path, so checks that look at several
 * keys at once (a decay's type and step) see what the trial runs with.
 */
function overlay(merged: Located, swept: readonly SweptNode[]): Located {
  return swept.reduce((out, { segments, node }) => withLocated(out, segments, locateNode(node)), merged);
}

/** For one sweep trial: a swept value is located at the sweep entry it came from (the list item or the spec). */
export class TrialLocator extends ExperimentLocator {
  constructor(
    base: ExperimentLocator,
    private readonly swept: readonly SweptNode[],
  ) {
    super(overlay(base.merged, swept), base.name, base.keyNode);
  }

  override span(relPath: JsonPath): Span {
    for (const { segments, node } of this.swept) {
      if (segments.every((s, i) => relPath[i] === s)) {
        const inner = findNodeAtLocation(node, relPath.slice(segments.length)) ?? node;
        return { path: getNodePath(inner), offset: inner.offset, length: inner.length };
      }
    }
    return super.span(relPath);
  }
}
