/** The file system's answers to the resolver's questions about files (core/experiment/checks.ts DataContext). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModuleExists } from '../../core/experiment/checks';

export const moduleExists: ModuleExists = (module, baseDir) => existsSync(resolve(baseDir, module));
