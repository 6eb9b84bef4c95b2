/** Search results: highlighted matches, "did you mean", paging, and an empty state that helps. */
export const searchPage = `<h1>Search</h1>
<% if (it.suggestion) { %><p>Did you mean <a href="<%= it.suggestion.href %>"><%= it.suggestion.text %></a>?</p><% } %>
<% if (it.message) { %><p class="muted"><%= it.message %></p><% } %>
<% if (it.total > 0) { %>
<p class="meta"><%= it.total_is_estimate ? 'More than ' : '' %><%= it.fmt.number(it.total) %> package<%= it.total === 1 ? '' : 's' %> for <strong><%= it.q %></strong></p>
<ol class="list" start="<%= it.start %>">
<% for (const r of it.results) { %><li><a class="name" href="<%= it.fmt.packagePath(r.name) %>"><% for (const s of r.nameParts) { %><% if (s.hit) { %><mark><%= s.text %></mark><% } else { %><%= s.text %><% } %><% } %></a>
<span class="meta"><%= r.latest %> · <%= it.fmt.number(r.downloads) %> downloads</span>
<% if (r.descriptionParts.length > 0) { %><br><span><% for (const s of r.descriptionParts) { %><% if (s.hit) { %><mark><%= s.text %></mark><% } else { %><%= s.text %><% } %><% } %></span><% } %></li>
<% } %></ol>
<%~ include('@pager', { pages: it.pages }) %>
<% } else if (it.q) { %>
<p>No package matches <strong><%= it.q %></strong>.</p>
<% } %>
<% if (it.total === 0) { %><section aria-labelledby="tips-h"><h2 id="tips-h">Search tips</h2><ul>
<li>Fewer words find more: every word must match.</li>
<li><code>json OR yaml</code> finds either; <code>-legacy</code> leaves a word out; <code>"http client"</code> finds the words together.</li>
<li><code>name:</code>, <code>keyword:</code> and <code>author:</code> search one field, e.g. <code>keyword:parser</code>.</li>
<li>Or browse the <a href="/">recently published and most downloaded packages</a>.</li>
</ul></section><% } %>
`;
