/**
 * The panel's HTML shell, used by the extension's WebviewPanel and by the browser tests, so both run under the
 * same Content-Security-Policy. Scripts run only with the nonce (no 'unsafe-eval': vega evaluates expressions
 * with vega-interpreter), styles come from the bundle or a nonce'd element, images from the bundle or data: URLs
 * (PNG export). No DOM types: the extension host imports this.
 */

export interface PanelHtmlOptions {
  /** webview.asWebviewUri(dist/webview.js) as a string. */
  scriptUri: string;
  /** webview.asWebviewUri(dist/webview.css) as a string. */
  styleUri: string;
  /** webview.cspSource. */
  cspSource: string;
  /** A fresh random nonce per page load (base64 or hex; no quotes). */
  nonce: string;
  /** The page title (screen readers). */
  title?: string;
}

/** The CSP for the panel, exported so tests can assert exactly what the page enforces. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export function panelHtml(options: PanelHtmlOptions): string {
  const { scriptUri, styleUri, cspSource, nonce } = options;
  if (!/^[A-Za-z0-9+/=_-]+$/.test(nonce)) throw new Error('panelHtml: the nonce must be base64 or hex');
  const attr = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(styleUri)}">
<title>${escapeHtml(options.title ?? 'NN Lab')}</title>
</head>
<body>
<div id="app" data-nonce="${attr(nonce)}"></div>
<script nonce="${attr(nonce)}" src="${attr(scriptUri)}"></script>
</body>
</html>
`;
}
