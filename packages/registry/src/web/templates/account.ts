/** The account page: open invitations to own packages, when there are any (accept, decline), API tokens (a new one's secret shown once), create with scopes, revoke. */
export const accountPage = `<h1>Account: <%= it.user.username %></h1>
<%~ include('@account-nav', { here: 'account' }) %>
<% if (it.error) { %><p class="error" role="alert"><%= it.error %></p><% } %>
<% if (it.created) { %><section aria-labelledby="new-h"><h2 id="new-h">New token "<%= it.created.name %>"</h2>
<p>Copy it now: it is shown this once and cannot be shown again.</p>
<div class="secret"><code id="new-token"><%= it.created.token %></code><button type="button" data-copy="new-token" hidden>Copy</button></div>
</section><% } %>
<% if (it.notice) { %><p role="status"><%= it.notice %></p><% } %>
<% if (it.invitations.length > 0) { %><section id="invitations" aria-labelledby="invitations-h"><h2 id="invitations-h">Invitations to own packages</h2>
<div class="scroll"><table class="rows"><thead><tr><th scope="col">Package</th><th scope="col">From</th><th scope="col">Expires</th><th scope="col"><span class="sr">Answer</span></th></tr></thead><tbody>
<% for (const i of it.invitations) { %><% const base = '/account/invitations/' + encodeURIComponent(i.package) %><tr><td><a href="<%= it.fmt.packagePath(i.package) %>"><%= i.package %></a></td><td><%= i.invited_by %></td><td><%= it.fmt.date(i.expires_at) %></td>
<td><div class="actions"><form method="post" action="<%= base %>/accept"><input type="hidden" name="_csrf" value="<%= it.csrf %>"><button type="submit" aria-label="Accept the invitation to <%= i.package %>">Accept</button></form>
<form method="post" action="<%= base %>/decline"><input type="hidden" name="_csrf" value="<%= it.csrf %>"><button type="submit" aria-label="Decline the invitation to <%= i.package %>">Decline</button></form></div></td></tr>
<% } %></tbody></table></div>
</section><% } %>
<section aria-labelledby="tokens-h"><h2 id="tokens-h">API tokens</h2>
<% if (it.tokens.length === 0) { %><p class="muted">You have no API tokens.</p><% } else { %>
<div class="scroll"><table class="rows"><thead><tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span class="sr">Action</span></th></tr></thead><tbody>
<% for (const t of it.tokens) { %><tr><td><%= t.name %></td><td><%= t.scopes.join(', ') %><% if (t.packages) { %> (<%= t.packages.join(', ') %>)<% } %></td>
<td><%= it.fmt.date(t.created_at) %></td><td><%= t.last_used_at ? it.fmt.date(t.last_used_at) : 'never' %></td><td><%= t.expires_at ? it.fmt.date(t.expires_at) : 'never' %></td>
<td><form method="post" action="/account/tokens/<%= t.id %>/revoke"><input type="hidden" name="_csrf" value="<%= it.csrf %>"><button type="submit" aria-label="Revoke token <%= t.name %>">Revoke</button></form></td></tr>
<% } %></tbody></table></div>
<% } %>
</section>
<section aria-labelledby="create-h"><h2 id="create-h">Create a token</h2>
<form class="form" method="post" action="/account/tokens">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<label for="token-name">Name</label>
<input id="token-name" name="name" type="text" required maxlength="64" placeholder="ci-publish">
<fieldset><legend>Scopes</legend>
<% for (const s of it.scopes) { %><input id="scope-<%= s %>" type="checkbox" name="scopes" value="<%= s %>"<%= s === 'publish' ? ' checked' : '' %>><label for="scope-<%= s %>"><%= s %></label> <% } %>
</fieldset>
<label for="token-packages">Only these packages (optional, comma-separated)</label>
<input id="token-packages" name="packages" type="text" maxlength="2000">
<label for="token-days">Expires in days (optional)</label>
<input id="token-days" name="expires_in_days" type="number" min="1" max="365">
<button type="submit">Create token</button>
</form>
</section>
`;

/** The links between the account's pages; `here` is the one shown. */
export const accountNav = `<nav class="tabs" aria-label="Account pages"><ul>
<li><% if (it.here === 'account') { %><span aria-current="page">Tokens and invitations</span><% } else { %><a href="/account">Tokens and invitations</a><% } %></li>
<li><% if (it.here === 'webhooks') { %><span aria-current="page">Webhooks</span><% } else { %><a href="/account/webhooks">Webhooks</a><% } %></li>
</ul></nav>
`;
