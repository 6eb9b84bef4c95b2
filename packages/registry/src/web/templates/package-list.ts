/** A list of packages (name, version, description, a number), shared by home, user and dependents. */
export const packageList = `<% if (it.items.length === 0) { %><p class="muted"><%= it.empty %></p><% } else { %>
<ul class="list">
<% for (const p of it.items) { %><li><a class="name" href="<%= it.fmt.packagePath(p.name) %>"><%= p.name %></a> <span class="meta"><%= p.latest %><% if (p.extra) { %> · <%= p.extra %><% } %></span>
<% if (p.description) { %><br><span><%= p.description %></span><% } %></li>
<% } %></ul>
<% } %>`;
