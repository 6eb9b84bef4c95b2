/** Page links: previous, a window of numbers, next. `it.pages` is built by pager.ts. */
export const pager = `<% if (it.pages && it.pages.links.length > 1) { %>
<nav aria-label="<%= it.pages.label %>"><ul class="pages">
<% if (it.pages.prev) { %><li><a href="<%= it.pages.prev %>" rel="prev">Previous</a></li><% } %>
<% for (const l of it.pages.links) { %><li><% if (l.current) { %><span aria-current="page"><%= l.page %></span><% } else { %><a href="<%= l.href %>"><%= l.page %></a><% } %></li><% } %>
<% if (it.pages.next) { %><li><a href="<%= it.pages.next %>" rel="next">Next</a></li><% } %>
</ul></nav>
<% } %>`;
