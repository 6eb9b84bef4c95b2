/** The account's webhooks: the list with each one's last delivery, switch off/on, delete; the form to subscribe (secret shown once). */
export const webhooksPage = `<h1>Webhooks</h1>
<%~ include('@account-nav', { here: 'webhooks' }) %>
<% if (it.error) { %><p class="error" role="alert"><%= it.error %></p><% } %>
<% if (it.created) { %><section aria-labelledby="new-h"><h2 id="new-h">New webhook to <%= it.created.url %></h2>
<p>Copy its signing secret now: it is shown this once and cannot be shown again. Receivers check each delivery's signature with it (Standard Webhooks).</p>
<div class="secret"><code id="new-secret"><%= it.created.secret %></code><button type="button" data-copy="new-secret" hidden>Copy</button></div>
</section><% } %>
<% if (it.notice) { %><p role="status"><%= it.notice %></p><% } %>
<section aria-labelledby="hooks-h"><h2 id="hooks-h">Your webhooks (<%= it.hooks.length %> of <%= it.max %>)</h2>
<% if (it.hooks.length === 0) { %><p class="muted">You have no webhooks.</p><% } else { %>
<div class="scroll"><table class="rows"><thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Package</th><th scope="col">State</th><th scope="col">Last delivery</th><th scope="col"><span class="sr">Actions</span></th></tr></thead><tbody>
<% for (const h of it.hooks) { %><% const base = '/account/webhooks/' + h.id %><tr>
<td><code><%= h.url %></code></td>
<td><%= h.events.join(', ') %></td>
<td><% if (h.package) { %><a href="<%= it.fmt.packagePath(h.package) %>"><%= h.package %></a><% } else { %>All your packages<% } %></td>
<td><% if (h.active) { %>Active<% } else { %>Off<% if (h.disabled_reason) { %>: <%= h.disabled_reason %><% } %><% } %></td>
<td><% if (h.last) { %><%= h.last.state %><% if (h.last.last_status_code !== null) { %> (HTTP <%= h.last.last_status_code %>)<% } %>, <%= it.fmt.date(h.last.last_attempt_at || h.last.created_at) %><% } else { %><span class="muted">None yet</span><% } %></td>
<td><div class="actions"><a href="<%= base %>" aria-label="Deliveries of the webhook to <%= h.url %>">Deliveries</a>
<form method="post" action="<%= base %>/active"><input type="hidden" name="_csrf" value="<%= it.csrf %>"><input type="hidden" name="active" value="<%= h.active ? 'off' : 'on' %>"><button type="submit" aria-label="<%= h.active ? 'Switch off' : 'Switch on' %> the webhook to <%= h.url %>"><%= h.active ? 'Switch off' : 'Switch on' %></button></form>
<form method="post" action="<%= base %>/delete"><input type="hidden" name="_csrf" value="<%= it.csrf %>"><button type="submit" aria-label="Delete the webhook to <%= h.url %>">Delete</button></form></div></td></tr>
<% } %></tbody></table></div>
<% } %>
</section>
<section aria-labelledby="create-h"><h2 id="create-h">Add a webhook</h2>
<form class="form wide" method="post" action="/account/webhooks">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<label for="hook-url">URL to send events to (https)</label>
<input id="hook-url" name="url" type="url" required maxlength="<%= it.urlMax %>" placeholder="https://ci.example.com/hook" value="<%= it.form.url %>">
<fieldset><legend>Events</legend><div class="checks">
<% for (const e of it.events) { %><% const id = 'event-' + e.replace(/[^a-z0-9]+/g, '-') %><span><input id="<%= id %>" type="checkbox" name="events" value="<%= e %>"<%= it.form.events.includes(e) ? ' checked' : '' %>><label for="<%= id %>"><%= e %></label></span>
<% } %></div></fieldset>
<label for="hook-package">Only this package (optional; empty: all your packages)</label>
<input id="hook-package" name="package" type="text" maxlength="214" value="<%= it.form.package %>">
<button type="submit">Add webhook</button>
</form>
</section>
`;

/** One webhook's deliveries, newest first, paged. */
export const webhookDeliveries = `<h1>Webhook deliveries</h1>
<%~ include('@account-nav', { here: 'deliveries' }) %>
<% const h = it.hook %>
<dl class="facts">
<dt>URL</dt><dd><code><%= h.url %></code></dd>
<dt>Events</dt><dd><%= h.events.join(', ') %></dd>
<dt>Package</dt><dd><% if (h.package) { %><a href="<%= it.fmt.packagePath(h.package) %>"><%= h.package %></a><% } else { %>All your packages<% } %></dd>
<dt>State</dt><dd><%= h.active ? 'Active' : 'Off' %><% if (!h.active && h.disabled_reason) { %>: <%= h.disabled_reason %><% } %></dd>
</dl>
<section aria-labelledby="deliveries-h"><h2 id="deliveries-h">Deliveries (<%= it.fmt.number(it.total) %>)</h2>
<% if (it.deliveries.length === 0) { %><p class="muted">No delivery yet: one is made for each event this webhook listens to.</p><% } else { %>
<div class="scroll"><table class="rows"><thead><tr><th scope="col">Event</th><th scope="col">Package</th><th scope="col">Created</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last response</th><th scope="col">Next attempt</th></tr></thead><tbody>
<% for (const d of it.deliveries) { %><tr><td><%= d.event %></td><td><%= d.package || '' %></td><td><time datetime="<%= d.created_at %>"><%= d.created_at.slice(0, 19).replace('T', ' ') %></time></td><td><%= d.state %></td><td><%= d.attempts %></td>
<td><% if (d.last_status_code !== null) { %>HTTP <%= d.last_status_code %><% } %><% if (d.last_error) { %> <%= d.last_error %><% } %></td><td><%= d.next_attempt_at ? d.next_attempt_at.slice(0, 19).replace('T', ' ') : '' %></td></tr>
<% } %></tbody></table></div>
<% } %>
<%~ include('@pager', { pages: it.pages }) %>
</section>
<p><a href="/account/webhooks">Back to your webhooks</a></p>
`;
