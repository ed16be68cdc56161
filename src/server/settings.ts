/**
 * The server's view of the `nnlab` settings. Clients differ: some answer `workspace/configuration`,
 * some push settings in didChangeConfiguration, some only send initializationOptions. All three feed here.
 */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, settingsFrom, type ServerSettings } from '../protocol/lsp';

export class Settings {
  private current: ServerSettings = DEFAULT_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
  ) {}

  get value(): ServerSettings {
    return this.current;
  }

  setFrom(value: unknown): void {
    this.current = settingsFrom(value, this.current);
  }

  /**
   * Refreshes from a didChangeConfiguration payload, pulling when the client supports it (vscode-languageclient
   * sends `settings: null` in pull mode). Returns whether anything changed.
   */
  async update(pushed: unknown): Promise<boolean> {
    const before = JSON.stringify(this.current);
    if (this.canPull) {
      try {
        this.setFrom(await this.connection.workspace.getConfiguration(SETTINGS_SECTION));
      } catch {
        // A client that advertised configuration but fails to answer keeps the last known settings.
      }
    }
    const section =
      typeof pushed === 'object' && pushed !== null ? (pushed as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
    if (section !== undefined) this.setFrom(section);
    return JSON.stringify(this.current) !== before;
  }
}
