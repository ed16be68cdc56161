/**
 * The outline: `defaults` and `experiments`, each experiment with its data/model/train sections.
 * Only sections that exist in the text appear, so the outline mirrors the file, not the resolved config.
 */
import type { JsonNode as Node } from '../core/experiment/jsonc';
import { DocumentSymbol, SymbolKind, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { experimentEntries, property } from './tree';

const SECTIONS = ['data', 'model', 'train'] as const;

function range(doc: TextDocument, node: Node): Range {
  return { start: doc.positionAt(node.offset), end: doc.positionAt(node.offset + node.length) };
}

/** A one-line summary shown next to a section, so the outline says what differs between experiments. */
function sectionDetail(section: Node | undefined): string {
  if (section?.type !== 'object') return '';
  const parts: string[] = [];
  for (const prop of section.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (!k || !v || v.type === 'object' || v.type === 'array') continue;
    parts.push(`${String(k.value)}=${String(v.value)}`);
    if (parts.length === 3) break;
  }
  return parts.join(' ');
}

function sectionSymbols(doc: TextDocument, experiment: Node | undefined): DocumentSymbol[] {
  const children: DocumentSymbol[] = [];
  for (const name of SECTIONS) {
    const found = property(experiment, name);
    if (!found) continue;
    children.push(
      DocumentSymbol.create(
        name,
        sectionDetail(found.value),
        SymbolKind.Namespace,
        range(doc, found.property),
        range(doc, found.key),
      ),
    );
  }
  return children;
}

export function documentSymbols(doc: TextDocument, root: Node | undefined): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  const defaults = property(root, 'defaults');
  if (defaults) {
    symbols.push(
      DocumentSymbol.create(
        'defaults',
        '',
        SymbolKind.Namespace,
        range(doc, defaults.property),
        range(doc, defaults.key),
        sectionSymbols(doc, defaults.value),
      ),
    );
  }
  const experiments = property(root, 'experiments');
  if (experiments) {
    const children = experimentEntries(root).map((e) =>
      DocumentSymbol.create(
        e.name || '(unnamed)',
        '',
        SymbolKind.Class,
        range(doc, e.property),
        range(doc, e.key),
        sectionSymbols(doc, e.value),
      ),
    );
    symbols.push(
      DocumentSymbol.create(
        'experiments',
        `${children.length}`,
        SymbolKind.Module,
        range(doc, experiments.property),
        range(doc, experiments.key),
        children,
      ),
    );
  }
  return symbols;
}
