/** Entry point of the panel's bundle (dist/webview.js): connect to the host, start the panel. */
import './panel.css';
import { Panel } from './app';
import { connectToHost } from './vscodeApi';

const root = document.getElementById('app');
if (root) {
  const panel = new Panel(root, connectToHost());
  panel.start();
  // Read-only hooks for the browser tests and benchmarks; a constant, not state the page mutates.
  Object.defineProperty(window, 'nnlab', {
    value: Object.freeze(panel.inspect()),
    writable: false,
    configurable: false,
  });
}
