/**
 * Answers to mistakes, through the real executable: misspelt options, registry URLs without a
 * scheme or with the API path, a server that is not a registry, misspelt package names; and how
 * errors look: once, `error:` in colour on a terminal only, -q and -v.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let website: Server;
let websiteUrl: string;

before(async () => {
  registry = await startRegistry();
  const { token } = await signUp(registry.api);
  for (const name of ['http-client', 'http-server', 'logger']) {
    const res = await publish(registry.api, token, { name, version: '1.0.0', description: `${name} package` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
  // A web site, not a registry: HTML for every path.
  website = createServer(
    (req, res) => void res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html' }).end('<html>hello</html>'),
  );
  await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
  websiteUrl = `http://127.0.0.1:${(website.address() as { port: number }).port}`;
});

after(async () => {
  website.closeAllConnections();
  await new Promise((resolve) => website.close(resolve));
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

const errorLines = (text: string) => text.split('\n').filter((l) => /error:/.test(l));

describe('usage mistakes', () => {
  test('a misspelt option gets its nearest spelling and one line pointing at the help', async () => {
    const res = await box.run(['pkg', 'install', '--frozen-lockfil']);
    assert.equal(res.code, 1);
    assert.equal(
      res.stderr,
      "error: unknown option '--frozen-lockfil'\n(Did you mean --frozen-lockfile?)\nRun synapse pkg install --help for usage.\n",
    );
    const command = await box.run(['pkg', 'outdate']);
    assert.match(command.stderr, /\(Did you mean outdated\?\)/);
  });

  test('a registry URL without a scheme is a usage error naming the fix; /api/v1 on the end is dropped', async () => {
    const bare = await box.run(['pkg', 'info', 'logger', '--registry', 'localhost:8080']);
    assert.equal(bare.code, 1);
    assert.equal(
      bare.stderr,
      'error: --registry "localhost:8080" has no scheme\nUse https://localhost:8080, or http://localhost:8080 for a registry on your own machine or network.\n',
    );
    const ftp = await box.run(['pkg', 'info', 'logger'], { env: { SYNAPSE_REGISTRY: 'ftp://example.com' } });
    assert.equal(ftp.code, 1);
    assert.match(
      ftp.stderr,
      /^error: SYNAPSE_REGISTRY "ftp:\/\/example\.com" starts with ftp:\/\/; a registry URL starts with http:\/\/ or https:\/\//,
    );
    const pasted = await box.run(['pkg', 'info', 'logger', '--registry', `${registry.url}/api/v1/`]);
    assert.equal(pasted.code, 0, pasted.stderr);
    assert.match(pasted.stdout, /^logger@1\.0\.0/);
  });

  test('a server that is not a Synapse registry is named as such', async () => {
    const res = await box.run(['pkg', 'info', 'logger', '--registry', websiteUrl]);
    assert.equal(res.code, 1);
    assert.match(
      res.stderr,
      new RegExp(
        `^error: ${websiteUrl} does not look like a Synapse registry: GET ${websiteUrl}/api/v1/packages/logger answered 404 text/html, not a problem document$`,
        'm',
      ),
    );
    assert.equal(errorLines(res.stderr).length, 1);
    const app = await box.project('elsewhere', { name: 'elsewhere', version: '1.0.0', dependencies: { logger: '^1.0.0' } });
    const install = await box.run(['pkg', 'install', '--registry', websiteUrl], { cwd: app });
    assert.equal(install.code, 1);
    assert.match(install.stderr, new RegExp(`^error: ${websiteUrl} does not look like a Synapse registry`, 'm'));
    assert.doesNotMatch(install.stderr, /no package named/, 'not mistaken for a missing package');
  });
});

describe('misspelt package names', () => {
  test('info, add and install suggest the close names the registry knows', async () => {
    const info = await box.run(['pkg', 'info', 'http-clinet']);
    assert.equal(info.code, 1);
    assert.match(info.stderr, /Did you mean http-client\?/);
    const early = await box.run(['pkg', 'info', 'htp-client']);
    assert.match(early.stderr, /Did you mean http-client\?/);
    const app = await box.project('app', { name: 'app', version: '1.0.0', dependencies: {} });
    for (const verb of ['add', 'install']) {
      const res = await box.run(['pkg', verb, 'loger'], { cwd: app });
      assert.equal(res.code, 1, `${verb}: ${res.stderr}`);
      assert.match(res.stderr, /did you mean logger\?/i, verb);
      assert.equal(errorLines(res.stderr).length, 1, `${verb}: printed once`);
    }
  });
});

describe('how errors look', () => {
  test('error: is red on a terminal; never with NO_COLOR; piped only with FORCE_COLOR', async () => {
    const tty = await box.runInTerminal(['pkg', 'info', 'no-such-package'], { env: { NO_COLOR: '' } });
    assert.equal(tty.code, 1);
    assert.match(tty.stdout, /\x1b\[1;31merror:\x1b\[0m No package named no-such-package/);
    const noColor = await box.runInTerminal(['pkg', 'info', 'no-such-package'], { env: { NO_COLOR: '1' } });
    assert.match(noColor.stdout, /(^|\n)error: No package named/);
    assert.doesNotMatch(noColor.stdout, /\x1b\[1;31m/);
    const piped = await box.run(['pkg', 'info', 'no-such-package'], { env: { NO_COLOR: '' } });
    assert.match(piped.stderr, /^error: /);
    const forced = await box.run(['pkg', 'info', 'no-such-package'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    assert.match(forced.stderr, /^\x1b\[1;31merror:\x1b\[0m /);
    const usage = await box.runInTerminal(['pkg', 'info'], { env: { NO_COLOR: '' } });
    assert.match(usage.stdout, /\x1b\[1;31merror:\x1b\[0m missing required argument 'spec'/);
  });

  test('-q leaves only the result; -v logs each request', async () => {
    const app = await box.project('quiet', { name: 'quiet', version: '1.0.0', dependencies: { logger: '^1.0.0' } });
    const quiet = await box.run(['pkg', 'install', '-q'], { cwd: app });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    assert.match(quiet.stdout, /\+ logger 1\.0\.0/);
    const verbose = await box.run(['pkg', 'info', 'logger', '-v']);
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.match(verbose.stderr, new RegExp(`^GET ${registry.url}/api/v1/packages/logger → 200 \\(\\d+ ms\\)$`, 'm'));
  });
});
