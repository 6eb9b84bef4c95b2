/** Every page's frame: head, header with search and account links, main landmark, footer. */
export const layout = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %> · Synapse Registry</title>
<% if (it.description) { %><meta name="description" content="<%= it.description %>">
<% } %><link rel="stylesheet" href="<%= it.assets.css %>">
<script src="<%= it.assets.js %>" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<nav aria-label="Site">
<a class="brand" href="/">Synapse Registry</a>
<form class="find" role="search" aria-label="Packages" action="/search" method="get">
<label class="sr" for="site-q">Search packages</label>
<input id="site-q" name="q" type="search" placeholder="Search packages" value="<%= it.query || '' %>" maxlength="256">
<button type="submit">Search</button>
</form>
<div class="who">
<% if (it.user) { %>
<a href="<%= it.fmt.userPath(it.user.username) %>"><%= it.user.username %></a>
<a href="/account">Account</a>
<% if (it.user.isAdmin) { %><a href="/admin/dashboard">Dashboard</a>
<% } %><form method="post" action="/logout"><input type="hidden" name="_csrf" value="<%= it.csrf %>"><button class="link" type="submit">Log out</button></form>
<% } else { %>
<a href="/login">Log in</a>
<a href="/register">Register</a>
<% } %>
</div>
</nav>
</header>
<main id="main">
<%~ it.body %>
</main>
<footer><p>Synapse Registry · <a href="/api/v1/docs">API</a> · install with <code>synapse pkg add NAME</code></p></footer>
<p id="copy-status" class="sr" role="status" aria-live="polite"></p>
</body>
</html>
`;
