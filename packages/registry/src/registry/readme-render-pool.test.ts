import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryError } from '../../../core/src/errors.ts';
import { renderReadme } from './readme-html.ts';
import { createReadmeRenderPool } from './readme-render-pool.ts';

const readme = (text: string) => ({ text, size: text.length, truncated: false });
/** About half a second or more of rendering: long enough to hold the only thread while others queue. */
const slow = readme('- a\n  - b *c*\n    - d [e](https://example.com/x)\n'.repeat(4_000));

test('a worker thread renders exactly what renderReadme does, cut note included', async () => {
  const errors: unknown[] = [];
  const pool = createReadmeRenderPool({ threads: 1, maxQueue: 4, timeoutMs: 30_000, onError: (e) => errors.push(e) });
  try {
    const hostile = readme('# T\n<script>x()</script><img src=x onerror=y> [a](javascript:z) **ok**');
    assert.equal(await pool.render(hostile), renderReadme(hostile));
    const cut = { text: 'start\n', size: 3 * 1024 * 1024, truncated: true };
    assert.equal(await pool.render(cut), renderReadme(cut));
    assert.deepEqual(errors, []);
  } finally {
    await pool.close();
  }
});

test('past the threads and the queue, a render is refused at once with 503 readme_render_busy', async () => {
  const pool = createReadmeRenderPool({ threads: 1, maxQueue: 1, timeoutMs: 30_000, onError: () => {} });
  try {
    const first = pool.render(slow);
    const second = pool.render(slow);
    await assert.rejects(pool.render(slow), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 503);
      assert.equal(error.code, 'readme_render_busy');
      assert.equal(error.headers?.['retry-after'], '5');
      return true;
    });
    const expected = renderReadme(slow);
    assert.equal(await first, expected, 'the running render still finishes');
    assert.equal(await second, expected, 'the queued one too');
    assert.equal(await pool.render(readme('*x*')), '<p><em>x</em></p>\n', 'once they are done, the pool takes renders again');
  } finally {
    await pool.close();
  }
});

test('a render past the timeout is stopped and the README kept as escaped plain text', async () => {
  const errors: unknown[] = [];
  const pool = createReadmeRenderPool({ threads: 1, maxQueue: 1, timeoutMs: 100, onError: (e) => errors.push(e) });
  try {
    const text = `<script>alert(1)</script>\n${slow.text}`;
    const html = await pool.render(readme(text));
    assert.match(
      html,
      /^<p class="note">This README is shown as plain text: rendering it took too long\.<\/p><pre>&lt;script&gt;alert\(1\)&lt;\/script&gt;/,
    );
    assert.doesNotMatch(html, /<script/);
    assert.deepEqual(errors, [], "a timeout is the README's doing, not an error to log");
  } finally {
    await pool.close();
  }
});
