import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReadme } from './readme-html.ts';

const render = (text: string) => renderReadme({ text, size: text.length, truncated: false });

test('a hostile README loses every script, handler, javascript: link and non-https image', () => {
  const html = render(
    [
      '# Title',
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(2)"> <img src="http://plain.example/a.png"> <img src="//proto.example/b.png">',
      '<img src="https://ok.example/c.png" onload="x()">',
      '[a](javascript:alert(3)) <a href="  JaVaScRiPt:alert(4)">b</a> <a href="data:text/html,x">c</a>',
      '<iframe src="https://evil.example"></iframe><style>body{}</style><form action="/x"><input name="q"></form>',
      '<div onclick="x()" style="color:red">d</div> <svg><script>alert(5)</script></svg>',
      '',
      '[ok](https://example.com/doc)',
    ].join('\n'),
  );
  assert.doesNotMatch(html, /<script|<iframe|<style|<form|<input|<svg/i);
  assert.doesNotMatch(html, /\son[a-z]+=/i);
  assert.doesNotMatch(html, /href="\s*(javascript|data):/i);
  assert.doesNotMatch(html, /src="(?!https:\/\/)/i);
  assert.match(html, /<img src="https:\/\/ok\.example\/c\.png" \/>/);
  assert.match(html, /<a href="https:\/\/example\.com\/doc" rel="nofollow ugc noopener">ok<\/a>/);
  assert.match(html, /<h2>Title<\/h2>/, 'README headings start below the page title');
});

test('a cut README says so', () => {
  const html = renderReadme({ text: 'start\n', size: 3 * 1024 * 1024, truncated: true });
  assert.match(html, /This README is 3072 KB; only its first part is shown here/);
});
