/**
 * Document and range formatting. Experiment files have their own language id (so VS Code's JSON service, which
 * used to format them, no longer attaches), and this is its formatter: jsonc-parser's, with the client's
 * indentation. keepLines is on because these files are written by hand with compact one-line experiments
 * (`"he": { "model": { "init": "he" } }`); reflowing every object and array onto its own lines would bury them.
 */
import { format, type FormattingOptions as JsoncFormattingOptions } from 'jsonc-parser';
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** Edits that format `range` of the document, or all of it; offsets are converted to the document's positions. */
export function formatEdits(doc: TextDocument, options: FormattingOptions, range?: Range): TextEdit[] {
  const text = doc.getText();
  const jsoncOptions: JsoncFormattingOptions = {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    // The document's own line ending, so formatting never mixes CRLF and LF.
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    insertFinalNewline: options.insertFinalNewline === true,
    keepLines: true,
  };
  const span = range && {
    offset: doc.offsetAt(range.start),
    length: doc.offsetAt(range.end) - doc.offsetAt(range.start),
  };
  return format(text, span, jsoncOptions).map((e) => ({
    range: { start: doc.positionAt(e.offset), end: doc.positionAt(e.offset + e.length) },
    newText: e.content,
  }));
}
