/** Hover: the schema's explanation of the key under the cursor, or of the enum value under it. */
import { findNodeAtOffset, getNodePath } from 'jsonc-parser';
import type { Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { JsonNode } from '../core/experiment/jsonc';
import { fieldAt, type Field } from '../core/experiment/schema';
import { fieldForSweepPath } from '../core/sweep/paths';
import { enumValueMarkdown, fieldMarkdown } from './fieldDocs';

function isKey(node: JsonNode): boolean {
  return node.parent?.type === 'property' && node.parent.children?.[0] === node;
}

/** The property's value as text, for an enum key whose value is a string. */
function valueOfKey(key: JsonNode): string | undefined {
  const value = key.parent?.children?.[1];
  return value?.type === 'string' ? (value.value as string) : undefined;
}

/** A key under `sweep` (`"train.learningRate"`) is explained as the key it sweeps. */
function sweptField(path: (string | number)[], node: JsonNode): Field | undefined {
  const parent = fieldAt(path.slice(0, -1));
  if (!isKey(node) || parent?.kind !== 'map' || parent.custom !== 'sweep') return undefined;
  return fieldForSweepPath(String(node.value).split('.'));
}

export function hover(doc: TextDocument, root: JsonNode | undefined, offset: number): Hover | null {
  if (!root) return null;
  const node = findNodeAtOffset(root, offset, true);
  if (!node || (node.type !== 'string' && node.type !== 'number' && node.type !== 'boolean' && node.type !== 'null'))
    return null;
  const path = getNodePath(node);
  const field = sweptField(path, node) ?? fieldAt(path);
  if (!field) return null;
  const name = String([...path].reverse().find((s) => typeof s === 'string') ?? '');
  let markdown: string;
  if (isKey(node)) {
    markdown = fieldMarkdown(name, field, valueOfKey(node));
  } else {
    const chosen = field.kind === 'enum' ? field.values.find((v) => v.value === node.value) : undefined;
    markdown = chosen ? enumValueMarkdown(chosen) : fieldMarkdown(name, field);
  }
  return {
    contents: { kind: 'markdown', value: markdown },
    range: { start: doc.positionAt(node.offset), end: doc.positionAt(node.offset + node.length) },
  };
}
