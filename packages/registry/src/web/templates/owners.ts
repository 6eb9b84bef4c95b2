/**
 * The package page's owner section, shown to its owners (and, after a form, to whoever sent it, for
 * the message): owners with a remove button, open invitations with a withdraw button, an invite form.
 */
export const ownerTools = `<section id="owners" aria-labelledby="owners-h"><h2 id="owners-h">Manage owners</h2>
<% if (it.notice) { %><p role="status" class="notice"><%= it.notice %></p><% } %>
<% if (it.error) { %><p class="error" role="alert"><%= it.error %></p><% } %>
<% if (it.owners) { %><% const base = it.fmt.packagePath(it.name) %>
<div class="scroll"><table class="rows"><thead><tr><th scope="col">Owner</th><th scope="col">Since</th><th scope="col"><span class="sr">Action</span></th></tr></thead><tbody>
<% for (const o of it.owners) { %><tr><td><a href="<%= it.fmt.userPath(o.username) %>"><%= o.username %></a><% if (o.username === it.me) { %> (you)<% } %></td><td><%= it.fmt.date(o.since) %></td>
<td><% if (it.owners.length > 1) { %><form method="post" action="<%= base %>/owners/<%= encodeURIComponent(o.username) %>/remove"><input type="hidden" name="_csrf" value="<%= it.csrf %>"><button type="submit" aria-label="<%= o.username === it.me ? 'Remove yourself as an owner' : 'Remove owner ' + o.username %>">Remove</button></form><% } %></td></tr>
<% } %></tbody></table></div>
<% if (it.owners.length === 1) { %><p class="muted">A package always keeps one owner: invite another before you leave.</p><% } %>
<h3>Open invitations</h3>
<% if (it.invitations.length === 0) { %><p class="muted">No open invitations.</p><% } else { %>
<div class="scroll"><table class="rows"><thead><tr><th scope="col">Invited</th><th scope="col">By</th><th scope="col">Expires</th><th scope="col"><span class="sr">Action</span></th></tr></thead><tbody>
<% for (const i of it.invitations) { %><tr><td><a href="<%= it.fmt.userPath(i.invitee) %>"><%= i.invitee %></a></td><td><%= i.invited_by %></td><td><%= it.fmt.date(i.expires_at) %></td>
<td><form method="post" action="<%= base %>/invitations/<%= encodeURIComponent(i.invitee) %>/cancel"><input type="hidden" name="_csrf" value="<%= it.csrf %>"><button type="submit" aria-label="Withdraw the invitation of <%= i.invitee %>">Withdraw</button></form></td></tr>
<% } %></tbody></table></div>
<% } %>
<form class="form" method="post" action="<%= base %>/owners">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<label for="invite-user">Invite a user by username</label>
<input id="invite-user" name="username" type="text" required maxlength="100" autocomplete="off" aria-describedby="invite-hint">
<p id="invite-hint" class="muted">They become an owner when they accept, within <%= it.ttlDays %> days.</p>
<button type="submit">Invite</button>
</form>
<% } %>
</section>`;
