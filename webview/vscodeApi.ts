/**
 * The webview's side of the host connection: a typed wrapper over acquireVsCodeApi (callable once per page).
 * State saved here survives the panel being hidden, reloaded, or restored by the WebviewPanelSerializer.
 */
import type { FromWebview } from '../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection {
  post(message: FromWebview): void;
  loadState(): unknown;
  saveState(state: unknown): void;
}

export function connectToHost(): HostConnection {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}
