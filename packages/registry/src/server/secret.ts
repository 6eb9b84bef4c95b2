import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';

/**
 * The JWT key: REGISTRY_SECRET_KEY when set; in test mode a fresh random one; otherwise one
 * generated on first start and kept (mode 0600) in the data folder, so sessions survive restarts.
 */
export function loadSecret(config: Config): Uint8Array {
  if (config.auth.secretKey !== undefined) return new TextEncoder().encode(config.auth.secretKey);
  if (config.env === 'test') return randomBytes(32);
  const path = join(config.server.dataDir, 'secret.key');
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(config.server.dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  // 'wx' fails if another process wrote it meanwhile; then read theirs.
  try {
    writeFileSync(path, secret.toString('hex'), { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  }
}
