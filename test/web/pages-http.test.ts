/**
 * The pages over plain HTTP (no browser): their headers, the API left as it was, HTML 404s outside
 * /api, cached assets, cookie flags, CSRF, and GET pages that write nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, PASSWORD, publish, signUp } from '../helpers/client.ts';
import { testBackend } from '../helpers/backends.ts';

const cookiesOf = (res: Response) => res.headers.getSetCookie();
const cookieValue = (setCookie: string[], name: string) =>
  setCookie
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]!
    .slice(name.length + 1);

/** A login through the form: the CSRF cookie and field from GET /login, then the POST. */
async function formLogin(url: string, username: string): Promise<Response> {
  const form = await fetch(`${url}/login`);
  const nonce = cookieValue(cookiesOf(form), 'synapse_csrf');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  assert.ok(nonce && csrf);
  return fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `synapse_csrf=${nonce}` },
    body: new URLSearchParams({ _csrf: csrf, username, password: PASSWORD, next: '//evil.example/' }).toString(),
  });
}

describe('pages over HTTP', () => {
  let r: TestRegistry;
  let owner: { username: string; token: string };

  before(async () => {
    r = await startRegistry();
    owner = await signUp(r.api);
    assert.equal((await publish(r.api, owner.token, { name: 'plain-pkg', version: '1.0.0', description: 'A plain package' })).status, 201);
  });
  after(() => r.close());

  test('pages carry a strict CSP and the other page headers; the API keeps its own', async () => {
    const page = await fetch(`${r.url}/packages/plain-pkg`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const html = await page.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/i, 'no inline style or handler');
    const api = await fetch(`${r.api}/packages/plain-pkg`);
    assert.equal(api.headers.get('content-security-policy'), "default-src 'none';frame-ancestors 'none'");
    assert.match(api.headers.get('content-type') ?? '', /^application\/json/);
  });

  test('an unknown page is an HTML 404; an unknown API path stays problem+json', async () => {
    const page = await fetch(`${r.url}/no/such/page`);
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<h1>Page not found<\/h1>/);
    const missing = await fetch(`${r.url}/packages/no-such-package`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /No package is named no-such-package/);
    const api = await fetch(`${r.api}/no/such/route`);
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((await api.json()).code, 'route_not_found');
  });

  test('assets have content-hashed names and a year of immutable cache', async () => {
    const html = await (await fetch(`${r.url}/`)).text();
    for (const path of [
      /href="(\/static\/app\.[0-9a-f]{12}\.css)"/.exec(html)?.[1],
      /src="(\/static\/app\.[0-9a-f]{12}\.js)"/.exec(html)?.[1],
    ]) {
      assert.ok(path);
      const res = await fetch(r.url + path);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.ok((await res.text()).length < 8 * 1024, `${path} is a few KB at most`);
    }
  });

  test('the session cookie is HttpOnly, SameSite=Lax and Secure outside development; `next` stays on the site', async () => {
    const res = await formLogin(r.url, owner.username);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account', 'a next of //evil.example is ignored');
    const session = cookiesOf(res).find((c) => c.startsWith('synapse_session='));
    assert.ok(session);
    assert.match(session, /; HttpOnly/);
    assert.match(session, /; SameSite=Lax/);
    assert.match(session, /; Secure/);
  });

  test('in development the cookie is not Secure (plain http on a laptop)', {
    skip: testBackend() !== 'sqlite' && 'SQLite only',
  }, async () => {
    const dev = await startRegistry({ REGISTRY_ENV: 'development', REGISTRY_RATE_LIMIT_ENABLED: 'false', REGISTRY_LOG_LEVEL: 'silent' });
    try {
      const { username } = await signUp(dev.api);
      const session = cookiesOf(await formLogin(dev.url, username)).find((c) => c.startsWith('synapse_session='));
      assert.ok(session);
      assert.doesNotMatch(session, /Secure/);
    } finally {
      await dev.close();
    }
  });

  test('a POST without the CSRF token is refused with an HTML 403', async () => {
    const res = await fetch(`${r.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: owner.username, password: PASSWORD }).toString(),
    });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /This form expired or came from another site/);
    assert.equal(
      cookiesOf(res).some((c) => c.startsWith('synapse_session=')),
      false,
    );
  });

  /** A logged-in browser's cookies and the CSRF token its forms carry. */
  async function loggedIn(username: string): Promise<{ cookie: string; csrf: string }> {
    const login = await formLogin(r.url, username);
    const session = cookieValue(cookiesOf(login), 'synapse_session');
    const account = await fetch(`${r.url}/account`, { headers: { cookie: `synapse_session=${session}` } });
    const nonce = cookieValue(cookiesOf(account), 'synapse_csrf');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await account.text())?.[1];
    assert.ok(session && nonce && csrf);
    return { cookie: `synapse_session=${session}; synapse_csrf=${nonce}`, csrf };
  }

  const postForm = (path: string, cookie: string, fields: Record<string, string>) =>
    fetch(`${r.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(fields).toString(),
    });

  test("the owner, invitation and webhook forms refuse a POST without this browser's CSRF token, and change nothing", async () => {
    const stranger = await signUp(r.api);
    const { cookie } = await loggedIn(owner.username);
    const forms: [string, Record<string, string>][] = [
      ['/packages/plain-pkg/owners', { username: stranger.username }],
      [`/packages/plain-pkg/owners/${owner.username}/remove`, {}],
      [`/packages/plain-pkg/invitations/${stranger.username}/cancel`, {}],
      ['/account/invitations/plain-pkg/accept', {}],
      ['/account/invitations/plain-pkg/decline', {}],
      ['/account/webhooks', { url: 'https://hooks.example/x', events: 'package.published' }],
      ['/account/webhooks/1/active', { active: 'off' }],
      ['/account/webhooks/1/delete', {}],
    ];
    for (const [path, fields] of forms) {
      for (const csrf of [undefined, 'forged-token-forged-token-forged-token-1234']) {
        const res = await postForm(path, cookie, csrf ? { ...fields, _csrf: csrf } : fields);
        assert.equal(res.status, 403, `${path} with ${csrf ? 'a forged' : 'no'} token`);
        assert.match(await res.text(), /This form expired or came from another site/, path);
      }
    }
    const invitations = await call(`${r.api}/packages/plain-pkg/owners/invitations`, { token: owner.token });
    assert.deepEqual(invitations.body.invitations, [], 'no invitation was made');
    assert.deepEqual(
      (await call(`${r.api}/packages/plain-pkg/owners`)).body.owners.map((o: { username: string }) => o.username),
      [owner.username],
    );
    assert.deepEqual((await call(`${r.api}/webhooks`, { token: owner.token })).body.results, [], 'no webhook was made');
  });

  test('refused owner, invitation and webhook forms answer a page with the reason, never a 500; without a session, the login page', async () => {
    const { cookie, csrf } = await loggedIn(owner.username);
    const cases: [string, Record<string, string>, number, RegExp][] = [
      [`/packages/plain-pkg/owners/${owner.username}/remove`, {}, 409, /is the only owner of plain-pkg/],
      ['/packages/plain-pkg/invitations/nobody-here/cancel', {}, 404, /plain-pkg has no open invitation for nobody-here/],
      ['/packages/plain-pkg/owners', { username: '' }, 400, /Enter the username of the user to invite/],
      ['/packages/no-such-pkg/owners', { username: 'someone' }, 404, /No package is named no-such-pkg|No package named no-such-pkg/],
      ['/account/invitations/plain-pkg/accept', {}, 404, /You have no invitation to plain-pkg/],
      ['/account/webhooks/abc/delete', {}, 404, /No such webhook/],
      ['/account/webhooks/999999/active', { active: 'on' }, 404, /You have no webhook with id 999999/],
      ['/account/webhooks', { url: 'ftp://x.example/', events: 'package.published' }, 400, /https/],
    ];
    for (const [path, fields, status, message] of cases) {
      const res = await postForm(path, cookie, { ...fields, _csrf: csrf });
      assert.equal(res.status, status, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/, path);
      assert.match(await res.text(), message, path);
    }
    const stranger = await signUp(r.api);
    const theirs = await loggedIn(stranger.username);
    const notOwner = await postForm('/packages/plain-pkg/owners', theirs.cookie, { username: owner.username, _csrf: theirs.csrf });
    assert.equal(notOwner.status, 403);
    assert.match(await notOwner.text(), /You are not an owner of plain-pkg, so you cannot invite owners/);
    const nonce = /synapse_csrf=([^;]+)/.exec(cookie)![1];
    const anonymous = await postForm('/packages/plain-pkg/owners', `synapse_csrf=${nonce}`, { username: 'x', _csrf: csrf });
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.get('location'), '/login?next=%2Fpackages%2Fplain-pkg');
  });

  test('a cached page shows every change at once: a new version, a yank, a new dependent', async () => {
    const page = async () => (await fetch(`${r.url}/packages/plain-pkg`)).text();
    const home = async () => (await fetch(`${r.url}/`)).text();
    assert.match(await page(), /Dependents \(0\)/);
    assert.doesNotMatch(await home(), /leans-on-plain/);
    assert.equal((await publish(r.api, owner.token, { name: 'plain-pkg', version: '1.1.0', description: 'A plain package' })).status, 201);
    const afterPublish = await page();
    assert.match(afterPublish, /<h1>plain-pkg <span class="meta">1\.1\.0<\/span>/);
    assert.equal(
      (
        await fetch(`${r.api}/packages/plain-pkg/1.0.0/yank`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
      200,
    );
    assert.match(await page(), /1\.0\.0<\/a>\n <span class="badge yanked">yanked<\/span>/);
    assert.equal(
      (await publish(r.api, owner.token, { name: 'leans-on-plain', version: '1.0.0', dependencies: { 'plain-pkg': '^1.0.0' } })).status,
      201,
    );
    assert.match(await page(), /Dependents \(1\)[\s\S]*href="\/packages\/leans-on-plain"/);
    // The home page is kept until the next write where the database counts writes (SQLite), else up to 10 s.
    if (testBackend() === 'sqlite') assert.match(await home(), /Recently published[\s\S]*leans-on-plain/);
  });

  test('GET pages write nothing to the database', {
    skip: testBackend() !== 'sqlite' && 'the write generation is SQLite-only',
  }, async () => {
    const db = r.registry.deps.db;
    const before = db.writeGeneration();
    const login = await formLogin(r.url, owner.username);
    const session = cookieValue(cookiesOf(login), 'synapse_session');
    const afterLogin = db.writeGeneration();
    for (const path of [
      '/',
      '/search?q=plain',
      '/search?q=plian',
      '/packages/plain-pkg',
      '/packages/plain-pkg/1.0.0',
      `/users/${owner.username}`,
      '/login',
      '/register',
      '/account',
      '/account/webhooks',
      '/account/webhooks/1',
      '/nope',
    ]) {
      const res = await fetch(r.url + path, { headers: { cookie: `synapse_session=${session}` }, redirect: 'manual' });
      assert.ok(res.status === 200 || res.status === 404, `${path}: ${res.status}`);
      await res.arrayBuffer();
    }
    assert.ok(before !== undefined);
    assert.equal(db.writeGeneration(), afterLogin, 'no GET wrote');
  });
});
