// Every workbench DOM selector the UI journey uses, in one place. They were checked against code-server 4.139.1
// (VS Code 1.139.1); a code-server upgrade that changes the workbench DOM should need edits here only.
export const sel = {
  workbench: '.monaco-workbench',
  explorerRow: (name: string) => `.explorer-folders-view .monaco-list-row:has-text("${name}")`,
  explorerRows: '.explorer-folders-view .monaco-list-row',
  explorerLabel: '.label-name',
  quickInput: '.quick-input-widget input',
  quickInputRow: (text: string) => `.quick-input-list .monaco-list-row:has-text("${text}")`,
  activeTab: (name: string) => `.tab.active:has-text("${name}")`,
  editorLines: '.monaco-editor .view-lines',
  focusedEditor: '.monaco-editor.focused',
  activeEditorText: '.editor-group-container.active .monaco-editor .view-lines',
  codeLens: '.codelens-decoration a',
  notificationToast: '.notifications-toasts .notification-list-item',
  notificationMessage: '.notifications-toasts .notification-list-item-message',
  notificationButton: '.notifications-toasts .notification-list-item .monaco-button',
  /** The webview host iframe gets `.ready` once loaded; the panel's document is its inner `#active-frame`. */
  webviewOuter: 'iframe.webview.ready',
  /** Every webview host iframe, ready or not (for describing the workbench). */
  webviewAny: 'iframe.webview',
  /** NN Lab's webviews: the host iframe's URL names the extension that owns it. */
  panelWebview: 'iframe.webview.ready[src*="extensionId=nnlab.nnlab"]',
  webviewInner: '#active-frame',
  /** The panel's tab title (createWebviewPanel in src/extension/panel.ts). */
  panelTabTitle: 'NN Lab',
  editorGroups: '.editor-group-container',
  editorTabs: '.tabs-container .tab',
  /** Text after the end of a line (decoration `after` content) is rendered as a pseudo-element on this class. */
  inlineDecoration: '.monaco-editor .view-overlays, .monaco-editor .view-lines',
  /** Test-state icons in the editor's gutter (the Testing API's decorations). */
  failedGutterIcon: '.monaco-editor .codicon-testing-failed-icon',
  squiggleError: '.monaco-editor .squiggly-error',
  problemsRow: '.markers-panel .monaco-list-row',
  testResultsRow: '.test-output-peek-tree .monaco-list-row',
  testingTreeRow: '.test-explorer .monaco-list-row',
  statusBar: '.statusbar',
  /** The status bar's language mode of the active editor ("NN Lab Experiment" for an experiment file). */
  languageMode: '.statusbar-item[id="status.editor.mode"]',
  restrictedModeStatus: '.statusbar-item:has-text("Restricted Mode")',
  /** Inside the panel's document (webview/app.ts): the sweep view of a comparison and its ranked table. */
  panelTitle: 'header.summary h1',
  sweepChart: '#sweep-chart',
  metricPicker: 'select#metric',
  compareTable: '#compare-table',
  compareRows: '#compare-table tbody tr',
  compareNameCells: '#compare-table tbody tr td:first-child',
  compareHeaders: '#compare-table th',
  extensionsListRow: (name: string) => `.extensions-viewlet .monaco-list-row:has-text("${name}")`,
} as const;
