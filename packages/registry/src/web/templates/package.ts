/** The package page and the version page (one template: the version page shows one version's facts). */
export const packagePage = `<% const p = it.pkg, v = it.version %>
<h1><%= p.name %> <span class="meta"><%= v.version %></span>
<% if (v.yanked) { %> <span class="badge yanked">yanked</span><% } %>
<% if (v.deprecation) { %> <span class="badge deprecated">deprecated</span><% } %></h1>
<% if (p.description) { %><p><%= p.description %></p><% } %>
<% if (p.deprecation) { %><p class="notice">This package is deprecated<% if (p.deprecation.message) { %>: <%= p.deprecation.message %><% } %><% if (p.deprecation.replacement) { %> Use <a href="<%= it.fmt.packagePath(p.deprecation.replacement) %>"><%= p.deprecation.replacement %></a> instead.<% } %></p><% } %>
<% if (v.yanked) { %><p class="notice bad">Version <%= v.version %> was yanked<% if (v.yank_reason) { %>: <%= v.yank_reason %><% } %>. New installs do not pick it.</p><% } %>
<% if (v.deprecation) { %><p class="notice">Version <%= v.version %> is deprecated<% if (v.deprecation.message) { %>: <%= v.deprecation.message %><% } %></p><% } %>
<% if (v.advisories.count > 0) { %><p class="notice bad">Version <%= v.version %> is affected by <%= v.advisories.count === 1 ? 'a known advisory' : v.advisories.count + ' known advisories' %><% if (v.advisories.highest) { %> (highest severity: <%= v.advisories.highest %>)<% } %>: <% v.advisories.ids.forEach((id, i) => { %><%= i > 0 ? ', ' : '' %><a href="/api/v1/advisories/<%= encodeURIComponent(id) %>"><%= id %></a><% }) %>. Run synapse pkg audit in a project that uses it.</p><% } %>
<% if (p.locked) { %><p class="notice">This package is locked: it takes no new versions.</p><% } %>
<% if (!it.isLatest) { %><p>This is an older version; the latest is <a href="<%= it.fmt.packagePath(p.name) %>"><%= p.latest %></a>.</p><% } %>
<div class="install"><code id="install-line"><%= it.install %></code><button type="button" data-copy="install-line" hidden>Copy</button></div>
<div class="pkg">
<div>
<section class="readme" aria-labelledby="readme-h"><h2 id="readme-h" class="sr">README</h2>
<% if (it.readme) { %><%~ it.readme %><% } else { %><p class="muted">This version has no README.</p><% } %>
</section>
<section aria-labelledby="versions-h"><h2 id="versions-h">Versions (<%= it.versionCount %>)</h2>
<table class="rows"><thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">Downloads</th></tr></thead><tbody>
<% for (const row of it.versions) { %><tr><td><a href="<%= it.fmt.packagePath(p.name, row.version) %>"><%= row.version %></a>
<% for (const t of row.tags) { %> <span class="badge tag"><%= t %></span><% } %><% if (row.yanked) { %> <span class="badge yanked">yanked</span><% } %><% if (row.deprecated) { %> <span class="badge deprecated">deprecated</span><% } %><% if (row.advisories > 0) { %> <span class="badge yanked">advisory</span><% } %></td>
<td><time datetime="<%= row.published_at %>"><%= it.fmt.date(row.published_at) %></time></td><td><%= it.fmt.number(row.downloads) %></td></tr>
<% } %></tbody></table>
<% if (it.moreVersions > 0) { %><p class="muted">And <%= it.fmt.number(it.moreVersions) %> older versions (see <a href="/api/v1/packages/<%= encodeURIComponent(p.name) %>/versions">the API</a>).</p><% } %>
</section>
<section aria-labelledby="deps-h"><h2 id="deps-h">Dependencies (<%= it.dependencies.length %>)</h2>
<% if (it.dependencies.length === 0) { %><p class="muted">None.</p><% } else { %><ul class="list">
<% for (const d of it.dependencies) { %><li><a href="<%= it.fmt.packagePath(d.name) %>"><%= d.name %></a> <code><%= d.range %></code></li><% } %></ul><% } %>
</section>
<%~ it.dependents %>
<%~ it.ownerTools %>
</div>
<aside aria-label="Package facts">
<h2>Downloads</h2>
<div class="chart"><%~ it.chart %></div>
<p class="meta"><%= it.fmt.number(it.downloads.last90) %> in 90 days · <%= it.fmt.number(it.downloads.total) %> in all</p>
<h2>About</h2>
<dl class="facts">
<dt>License</dt><dd><%= v.license || 'none given' %></dd>
<% if (v.author) { %><dt>Author</dt><dd><%= v.author %></dd><% } %>
<% if (it.links.homepage) { %><dt>Homepage</dt><dd><a href="<%= it.links.homepage %>" rel="nofollow ugc noopener"><%= it.links.homepage %></a></dd><% } %>
<% if (it.links.repository) { %><dt>Repository</dt><dd><a href="<%= it.links.repository %>" rel="nofollow ugc noopener"><%= it.links.repository %></a></dd><% } else if (v.repository) { %><dt>Repository</dt><dd><%= v.repository %></dd><% } %>
<dt>Published</dt><dd><time datetime="<%= v.published_at %>"><%= it.fmt.date(v.published_at) %></time></dd>
<dt>Size</dt><dd><%= it.fmt.bytes(v.size) %></dd>
<dt>Integrity</dt><dd><code><%= v.integrity %></code></dd>
</dl>
<% if (it.distTags.length > 0) { %><h2>Tags</h2><ul class="list"><% for (const t of it.distTags) { %><li><span class="badge tag"><%= t.tag %></span> <a href="<%= it.fmt.packagePath(p.name, t.version) %>"><%= t.version %></a></li><% } %></ul><% } %>
<h2>Owners</h2>
<ul class="list"><% for (const o of it.owners) { %><li><a href="<%= it.fmt.userPath(o) %>"><%= o %></a></li><% } %></ul>
<% if (p.keywords.length > 0) { %><h2>Keywords</h2><p><% for (const k of p.keywords) { %><a href="/search?q=<%= encodeURIComponent('keyword:' + k) %>"><%= k %></a> <% } %></p><% } %>
</aside>
</div>
`;

/** The dependents section, rendered per request (other packages' publishes change it). */
export const dependentsSection = `<section id="dependents" aria-labelledby="dependents-h"><h2 id="dependents-h">Dependents (<%= it.fmt.number(it.total) %>)</h2>
<%~ include('@package-list', { fmt: it.fmt, items: it.items, empty: 'No other package depends on this one yet.' }) %>
<%~ include('@pager', { pages: it.pages }) %>
</section>`;
