import { join } from 'node:path';
import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string /* ':memory:' for an in-memory database */ }
  | { kind: 'postgres'; url: string; poolSize: number };

export function readDatabase(r: EnvReader, mode: RegistryEnv, dataDir: string): DatabaseConfig {
  const url = r.optional('REGISTRY_DB_URL');
  const poolSize = r.int('REGISTRY_DB_POOL_SIZE', 10, { min: 1, max: 500 });
  if (url === undefined) {
    return { kind: 'sqlite', path: mode === 'test' ? ':memory:' : join(dataDir, 'registry.db') };
  }
  if (url === 'sqlite::memory:' || url === 'sqlite:///:memory:') return { kind: 'sqlite', path: ':memory:' };
  if (url.startsWith('sqlite://')) {
    const path = url.slice('sqlite://'.length);
    if (path === '' || path === '/') {
      r.problems.push(`REGISTRY_DB_URL=${JSON.stringify(url)} names no file: use sqlite:///path/to/file.db`);
    }
    // sqlite:///abs/path keeps the leading slash; sqlite://rel/path is relative to the working folder.
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url, poolSize };
  r.problems.push(`REGISTRY_DB_URL=${JSON.stringify(url)} must be sqlite:///path/to/file.db, sqlite::memory: or postgres://user@host/db`);
  return { kind: 'sqlite', path: ':memory:' };
}
