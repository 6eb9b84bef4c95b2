/** The admin dashboard: range switch, totals, two charts, routes, top packages, health, live instances. */
export const dashboardPage = `<h1>Dashboard</h1>
<nav aria-label="Range"><ul class="pages">
<% for (const r of it.ranges) { %><li><% if (r.current) { %><span aria-current="page"><%= r.label %></span><% } else { %><a href="/admin/dashboard?range=<%= r.range %>"><%= r.label %></a><% } %></li><% } %>
</ul></nav>
<% const d = it.d, t = d.totals %>
<p class="meta">From <time datetime="<%= d.from %>"><%= it.show.time(d.from) %></time> to <time datetime="<%= d.to %>"><%= it.show.time(d.to) %></time> UTC, every instance's reports together.</p>
<ul class="counts" aria-label="Totals">
<li><b id="total-requests"><%= it.fmt.number(t.requests) %></b> requests</li>
<li><b id="total-error-rate"><%= it.show.rate(t.error_rate) %></b> server errors (<%= it.fmt.number(t.server_errors) %>)</li>
<li><b><%= it.fmt.number(t.client_errors) %></b> client errors</li>
<li><b id="total-p50"><%= it.show.ms(t.p50_ms) %></b> p50</li>
<li><b id="total-p99"><%= it.show.ms(t.p99_ms) %></b> p99</li>
<li><b id="total-publishes"><%= it.fmt.number(t.publishes_ok) %></b> publishes (<%= it.fmt.number(t.publishes_refused) %> refused)</li>
<li><b id="total-downloads"><%= it.fmt.number(t.downloads) %></b> downloads (<%= it.fmt.bytes(t.download_bytes) %>)</li>
</ul>
<div class="cols">
<section aria-labelledby="pub-h"><h2 id="pub-h">Versions published</h2><div class="chart"><%~ it.charts.publishes %></div></section>
<section aria-labelledby="dl-h"><h2 id="dl-h">Downloads</h2><div class="chart"><%~ it.charts.downloads %></div></section>
</div>
<section aria-labelledby="routes-h"><h2 id="routes-h">Routes</h2>
<% if (d.routes.length === 0) { %><p class="muted">No requests were reported in this range.</p><% } else { %>
<div class="scroll"><table class="rows" id="routes"><thead><tr><th scope="col">Method</th><th scope="col">Route</th><th scope="col">Requests</th><th scope="col">4xx</th><th scope="col">5xx</th><th scope="col">Error rate</th><th scope="col">p50</th><th scope="col">p99</th></tr></thead><tbody>
<% for (const r of d.routes) { %><tr><td><%= r.method %></td><td><code><%= r.route %></code></td><td><%= it.fmt.number(r.requests) %></td><td><%= it.fmt.number(r.client_errors) %></td><td><%= it.fmt.number(r.server_errors) %></td><td><%= it.show.rate(r.error_rate) %></td><td><%= it.show.ms(r.p50_ms) %></td><td><%= it.show.ms(r.p99_ms) %></td></tr>
<% } %></tbody></table></div>
<% } %>
</section>
<div class="cols">
<section aria-labelledby="top-h"><h2 id="top-h">Top packages</h2>
<p class="meta">Downloads counted per UTC day, since <%= d.top_packages.since %>.</p>
<% if (d.top_packages.packages.length === 0) { %><p class="muted">No downloads yet.</p><% } else { %>
<ol class="list" id="top-packages"><% for (const p of d.top_packages.packages) { %><li><a href="<%= it.fmt.packagePath(p.name) %>"><%= p.name %></a> <span class="meta"><%= it.fmt.number(p.downloads) %></span></li><% } %></ol>
<% } %>
</section>
<section aria-labelledby="health-h"><h2 id="health-h">Health</h2>
<dl class="facts" id="health">
<dt>Database (<%= d.health.database %>)</dt><dd><%= d.health.checks.database %></dd>
<dt>Storage (<%= d.health.storage %>)</dt><dd><%= d.health.checks.storage %></dd>
</dl>
</section>
</div>
<section aria-labelledby="inst-h"><h2 id="inst-h">Instances reporting (<%= d.instances.length %>)</h2>
<p class="meta">Those that reported in the last minute.</p>
<% if (d.instances.length === 0) { %><p class="muted">None.</p><% } else { %>
<div class="scroll"><table class="rows" id="instances"><thead><tr><th scope="col">Instance</th><th scope="col">Version</th><th scope="col">Up for</th><th scope="col">Last seen (UTC)</th></tr></thead><tbody>
<% for (const i of d.instances) { %><tr><td><code><%= i.id %></code></td><td><%= i.version %></td><td><%= it.show.uptime(i.uptime_seconds) %></td><td><time datetime="<%= i.last_seen %>"><%= it.show.time(i.last_seen) %></time></td></tr>
<% } %></tbody></table></div>
<% } %>
</section>
`;
