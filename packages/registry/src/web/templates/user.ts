/** A user's page: their packages. */
export const userPage = `<h1><%= it.profile.username %></h1>
<p class="meta">Joined <time datetime="<%= it.profile.created_at %>"><%= it.fmt.date(it.profile.created_at) %></time></p>
<section aria-labelledby="owned-h"><h2 id="owned-h">Packages (<%= it.fmt.number(it.packages.total) %>)</h2>
<%~ include('@package-list', { fmt: it.fmt, items: it.packages.items, empty: 'No packages yet.' }) %>
<%~ include('@pager', { pages: it.packages.pages }) %>
</section>
`;
