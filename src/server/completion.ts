/**
 * Completion from the schema: the keys an object still lacks (with docs and defaults), enum values,
 * true/false, and a snippet for a whole new experiment. The cursor's JSON path comes from jsonc-parser's
 * `getLocation`, which works on broken text, so completion keeps working while a line is half typed.
 */
import { findNodeAtLocation, getLocation } from 'jsonc-parser';
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { tooDeepAt, type JsonNode } from '../core/experiment/jsonc';
import { fieldAt, keysOf, type Field } from '../core/experiment/schema';
import { fieldForSweepPath, sweepablePaths } from '../core/sweep/paths';
import { defaultText, enumValueMarkdown, fieldMarkdown, typeText } from './fieldDocs';

export interface CompletionOptions {
  snippets: boolean;
}

const WORD = /[\w$.+-]/;

/** What the chosen item replaces: the string under the cursor (quotes included) or the bare word being typed. */
function replaceRange(doc: TextDocument, text: string, offset: number, previous: JsonNode | undefined): Range {
  let start = offset;
  let end = offset;
  if (
    previous &&
    previous.type !== 'object' &&
    previous.type !== 'array' &&
    previous.offset < offset &&
    offset <= previous.offset + previous.length
  ) {
    start = previous.offset;
    end = previous.offset + previous.length;
  } else {
    while (start > 0 && WORD.test(text[start - 1]!)) start--;
    while (end < text.length && WORD.test(text[end]!)) end++;
  }
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

/** A snippet for a key's value, so that choosing `optimizer` leaves the cursor in a list of optimizers. */
function valueSnippet(field: Field): string {
  switch (field.kind) {
    case 'object':
    case 'map':
      return '{$1}';
    case 'array':
      return '[$1]';
    case 'enum':
      return `"\${1|${field.values.map((v) => v.value).join(',')}|}"`;
    case 'string':
      return '"$1"';
    default:
      return field.default !== undefined ? `\${1:${JSON.stringify(field.default)}}` : '$1';
  }
}

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

/** Keys already written in `object`, except the one being typed (getLocation reports it at the same offset). */
function presentKeys(object: JsonNode | undefined, typing: JsonNode | undefined): Set<string> {
  const present = new Set<string>();
  for (const prop of object?.children ?? []) {
    const key = prop.children?.[0];
    if (key && key.offset !== typing?.offset) present.add(String(key.value));
  }
  return present;
}

/** One key item; `valueSnippet` is what follows `"key": ` when the key is new. */
function keyItem(
  doc: TextDocument,
  text: string,
  key: string,
  child: Field,
  range: Range,
  index: number,
  value: string,
  options: CompletionOptions,
): CompletionItem {
  // Keep what follows the key (`: value`) when the user is renaming an existing key.
  const withValue = !text.slice(doc.offsetAt(range.end)).trimStart().startsWith(':');
  const dflt = defaultText(child);
  const quoted = JSON.stringify(key);
  const snippet = options.snippets && withValue;
  return {
    label: key,
    kind: CompletionItemKind.Property,
    detail: dflt ? `${typeText(child)} · ${dflt}` : typeText(child),
    documentation: { kind: 'markdown', value: fieldMarkdown(key, child) },
    sortText: String(index).padStart(3, '0'),
    filterText: quoted,
    insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range, newText: snippet ? `${escapeSnippet(quoted)}: ${value}` : withValue ? `${quoted}: ` : quoted },
  };
}

function keyItems(
  doc: TextDocument,
  text: string,
  field: Field,
  object: JsonNode | undefined,
  range: Range,
  typing: JsonNode | undefined,
  options: CompletionOptions,
): CompletionItem[] {
  if (field.kind !== 'object') return [];
  const present = presentKeys(object, typing);
  return keysOf(field)
    .filter((key) => !present.has(key))
    .map((key, i) =>
      keyItem(doc, text, key, field.properties[key]!, range, i, valueSnippet(field.properties[key]!), options),
    );
}

/** Under `sweep`, the keys are dotted paths to any key of data/model/train; each takes a list of values. */
function sweepPathItems(
  doc: TextDocument,
  text: string,
  object: JsonNode | undefined,
  range: Range,
  typing: JsonNode | undefined,
  options: CompletionOptions,
): CompletionItem[] {
  const present = presentKeys(object, typing);
  return sweepablePaths()
    .filter((path) => !present.has(path))
    .map((path, i) => keyItem(doc, text, path, fieldForSweepPath(path.split('.'))!, range, i, '[$1]', options));
}

function choice(field: Field | undefined): string {
  return field?.kind === 'enum'
    ? field.values
        .filter((v) => v.value !== 'csv')
        .map((v) => v.value)
        .join(',')
    : '';
}

/** A new, runnable experiment; its enum choices come from the schema. */
function experimentSnippet(range: Range): CompletionItem {
  const at = (section: string, key: string) => fieldAt(['experiments', '_', section, key]);
  const lr = at('train', 'learningRate')?.default ?? 0.01;
  const epochs = at('train', 'epochs')?.default ?? 1000;
  const body = [
    '"${1:name}": {',
    `\t"data": { "dataset": "\${2|${choice(at('data', 'dataset'))}|}" },`,
    '\t"model": { "layers": [2, ${3:5}, 1] },',
    `\t"train": { "optimizer": "\${4|${choice(at('train', 'optimizer'))}|}", "learningRate": \${5:${String(lr)}}, "epochs": \${6:${String(epochs)}} }`,
    '}',
  ].join('\n');
  return {
    label: 'new experiment',
    kind: CompletionItemKind.Snippet,
    detail: 'data, model and train',
    documentation: { kind: 'markdown', value: fieldMarkdown('experiment', fieldAt(['experiments', '_'])!) },
    insertTextFormat: InsertTextFormat.Snippet,
    filterText: '"new experiment"',
    textEdit: { range, newText: body },
  };
}

function valueItems(field: Field, range: Range): CompletionItem[] {
  if (field.kind === 'enum') {
    return field.values.map((v, i) => ({
      label: v.value,
      kind: CompletionItemKind.EnumMember,
      detail: field.default === v.value ? 'default' : undefined,
      documentation: { kind: 'markdown', value: enumValueMarkdown(v) },
      sortText: String(i).padStart(3, '0'),
      filterText: JSON.stringify(v.value),
      textEdit: { range, newText: JSON.stringify(v.value) },
    }));
  }
  if (field.kind === 'boolean') {
    return ['false', 'true'].map((label) => ({
      label,
      kind: CompletionItemKind.Value,
      detail: String(field.default) === label ? 'default' : undefined,
      textEdit: { range, newText: label },
    }));
  }
  if ((field.kind === 'number' || field.kind === 'integer') && field.default !== undefined) {
    const label = JSON.stringify(field.default);
    return [{ label, kind: CompletionItemKind.Value, detail: 'default', textEdit: { range, newText: label } }];
  }
  return [];
}

export function completions(
  doc: TextDocument,
  root: JsonNode | undefined,
  offset: number,
  options: CompletionOptions,
): CompletionItem[] {
  const text = doc.getText();
  // getLocation recurses per nesting level like the parser; the parser's depth limit applies here too.
  if (tooDeepAt(text) >= 0) return [];
  const location = getLocation(text, offset);
  const range = replaceRange(doc, text, offset, location.previousNode);
  if (location.isAtPropertyKey) {
    const objectPath = location.path.slice(0, -1);
    const field = fieldAt(objectPath);
    if (!field) return [];
    if (field.kind === 'map' && field.custom === 'sweep') {
      const object = root ? findNodeAtLocation(root, objectPath) : undefined;
      return sweepPathItems(doc, text, object, range, location.previousNode, options);
    }
    if (field.kind === 'map') return options.snippets && objectPath.length === 1 ? [experimentSnippet(range)] : [];
    const object = root ? findNodeAtLocation(root, objectPath) : undefined;
    return keyItems(doc, text, field, object, range, location.previousNode, options);
  }
  const field = sweptValueField(location.path) ?? fieldAt(location.path);
  return field ? valueItems(field, range) : [];
}

/** An item of a sweep list (`"model.init": ["he", |]`) takes the values of the key it sweeps. */
function sweptValueField(path: readonly (string | number)[]): Field | undefined {
  const index = path[path.length - 1];
  const key = path[path.length - 2];
  const sweep = fieldAt(path.slice(0, -2));
  if (typeof index !== 'number' || typeof key !== 'string' || sweep?.kind !== 'map' || sweep.custom !== 'sweep')
    return undefined;
  return fieldForSweepPath(key.split('.'));
}
