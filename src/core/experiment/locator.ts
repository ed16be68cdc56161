/**
 * Where a problem about one experiment is shown: paths inside the experiment become positions in the file,
 * wherever the merged value was written (the experiment, `defaults`, or for a sweep trial the sweep entry).
 */
import { findNodeAtLocation, getNodePath } from 'jsonc-parser';
import type { JsonPath } from './diagnostics';
import type { JsonNode } from './jsonc';
import { findLocated, type Located } from './merge';

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

/** For one sweep trial: a swept value is located at the sweep entry it came from (the list item or the spec). */
export class TrialLocator extends ExperimentLocator {
  constructor(
    base: ExperimentLocator,
    private readonly swept: { segments: string[]; node: JsonNode }[],
  ) {
    super(base.merged, base.name, base.keyNode);
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
