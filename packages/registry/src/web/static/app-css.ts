/** The one stylesheet: light and dark by prefers-color-scheme, 360 px up, no framework. */
export const APP_CSS = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--accent:#0b5cad;--mark:#fff1a8;--bad:#a40e26;--warn:#7d4e00;--ok:#116329;--bar:#3b7dd8}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--soft:#161b22;--accent:#6cb6ff;--mark:#5a4a00;--bad:#ff8182;--warn:#e3b341;--ok:#56d364;--bar:#539bf5}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:break-word}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
code,pre,kbd{font:0.9em/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.75em;overflow-x:auto}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px;z-index:9}
.top{border-bottom:1px solid var(--line);background:var(--soft)}
.top nav,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}
.top nav{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;min-height:56px;padding-block:8px}
.brand{font-weight:700;font-size:1.15em;text-decoration:none;color:var(--fg)}
.top form.find{flex:1 1 220px;display:flex;gap:6px}
.top .who{display:flex;gap:12px;align-items:center}
input,button,select{font:inherit;color:inherit}
input[type=search],input[type=text],input[type=password],input[type=email],input[type=number],input[type=url]{width:100%;padding:6px 10px;border:1px solid var(--muted);border-radius:6px;background:var(--bg)}
button,.button{white-space:nowrap;flex:none;padding:6px 14px;border:1px solid var(--muted);border-radius:6px;background:var(--soft);cursor:pointer;text-decoration:none;color:var(--fg)}
button.link{border:0;background:none;padding:0;color:var(--accent);text-decoration:underline}
main{padding-block:24px 48px}
footer{border-top:1px solid var(--line);padding-block:16px;color:var(--muted);font-size:.9em}
h1{font-size:1.8em;margin:.2em 0;line-height:1.2}
h2{font-size:1.3em;margin:1.4em 0 .5em}
.muted,.meta{color:var(--muted)}
.hero{text-align:center;padding:24px 0}
.hero form,form.inline{display:flex;gap:8px;max-width:560px;margin:16px auto}
form.inline{margin:8px 0}
.counts{display:flex;flex-wrap:wrap;gap:12px;justify-content:center;list-style:none;padding:0}
.counts li{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:8px 16px;text-align:center}
.counts b{display:block;font-size:1.3em}
.cols{display:grid;gap:24px;grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
.list{list-style:none;padding:0;margin:0}
.list li{padding:10px 0;border-bottom:1px solid var(--line)}
.list .name{font-weight:600}
.pkg{display:grid;gap:32px;grid-template-columns:minmax(0,1fr) 300px}
@media (max-width:820px){.pkg{grid-template-columns:minmax(0,1fr)}}
.install{display:flex;gap:8px;align-items:center;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:12px 0}
.install code{flex:1;overflow-x:auto;white-space:nowrap}
.readme{border-top:1px solid var(--line);margin-top:16px}
.readme img{max-width:100%;height:auto}
.readme table{border-collapse:collapse;display:block;overflow-x:auto}
.readme th,.readme td{border:1px solid var(--line);padding:4px 8px}
dl.facts{display:grid;grid-template-columns:auto minmax(0,1fr);gap:4px 12px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;min-width:0}dl.facts code{word-break:break-all}
.badge{display:inline-block;font-size:.75em;font-weight:600;padding:0 6px;border-radius:10px;border:1px solid currentColor;vertical-align:middle}
.badge.yanked{color:var(--bad)}.badge.deprecated{color:var(--warn)}.badge.tag{color:var(--ok)}
.notice{border:1px solid var(--warn);border-left-width:4px;padding:8px 12px;border-radius:6px;margin:12px 0}
.notice.bad{border-color:var(--bad)}
.note{color:var(--muted);font-style:italic}
table.rows{width:100%;border-collapse:collapse}
table.rows th,table.rows td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
.chart svg{width:100%;height:auto;display:block}
.chart rect{fill:var(--bar)}.chart rect:hover{opacity:.7}
.chart text{fill:var(--muted);font-size:10px}
.chart line{stroke:var(--line)}
mark{background:var(--mark);color:var(--fg);padding:0 1px}
.pages{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:0;margin:24px 0}
.pages a,.pages span{display:inline-block;min-width:2.2em;text-align:center;padding:4px 8px;border:1px solid var(--line);border-radius:6px}
.pages [aria-current]{background:var(--accent);color:var(--bg);border-color:var(--accent)}
.form{max-width:420px}.form.wide{max-width:640px}.form label{display:block;margin:12px 0 4px;font-weight:600}.form button{margin-top:16px}
.form fieldset{border:1px solid var(--line);border-radius:6px;margin-top:12px}.form fieldset label{display:inline;font-weight:400;margin:0 12px 0 4px}
.error{color:var(--bad);border:1px solid var(--bad);border-radius:6px;padding:8px 12px}
.secret{display:flex;gap:8px;align-items:center;background:var(--soft);border:2px solid var(--ok);border-radius:6px;padding:8px}
.secret code{flex:1;overflow-x:auto}
.scroll{overflow-x:auto;position:relative}
.tabs ul{display:flex;flex-wrap:wrap;gap:4px 20px;list-style:none;padding:0;margin:8px 0 16px}.tabs [aria-current]{font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:2px 12px}.checks span{display:flex;align-items:center;gap:4px}.form .checks label{margin:0}
`;
